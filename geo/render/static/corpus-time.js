
        {% macro script(this, kwargs) %}
        (function () {
            var data = {{ this.data }};
            var layer = {{ this.layer.get_name() }};
            var input, output, cumulative;
            var last = data.months.length;  // the position past the last month: all dates
            function inWindow(m, pos) {
                if (pos >= last) { return true; }
                return cumulative && cumulative.checked ? m <= pos : m === pos;
            }
            function colourOf(actor) {
                var a = actor && data.actors[actor];
                return a ? a.colour : data.none;
            }
            function popup(p, pos) {
                var parts = [], shown = 0, total = 0, count = 0;
                p.refs.forEach(function (r) {
                    var a = data.articles[r[0]];
                    if (!inWindow(a[0], pos)) { return; }
                    count += r[1];
                    total += 1;
                    if (shown < data.maxList) { parts.push(a[1]); shown += 1; }
                });
                var more = total > shown ? "<li>and " + (total - shown) + " more</li>" : "";
                return '<div class="geo-popup">' + p.head + '<div class="geo-row">' + count +
                    " mention" + (count === 1 ? "" : "s") + " in " + total + " article" +
                    (total === 1 ? "" : "s") + '</div><ul class="geo-corpus-articles">' +
                    parts.join("") + more + "</ul></div>";
            }
            function show(pos) {
                var markers = [], max = 1, counts = [], controls = [];
                data.places.forEach(function (p, i) {
                    var n = 0, control = null;
                    p.refs.forEach(function (r) {
                        if (inWindow(data.articles[r[0]][0], pos)) { n += r[1]; control = r[2]; }
                    });
                    counts.push(n);
                    controls.push(control);
                    if (n > max) { max = n; }
                });
                data.places.forEach(function (p, i) {
                    var n = counts[i];
                    if (!n) { return; }
                    // A div marker, not a circle path: clustering needs marker icons to zoom to
                    // and spiderfy. Built with DOM calls, so no value is parsed as markup.
                    var size = Math.round(2 * (4 + 20 * Math.sqrt(n / max)));
                    var dot = document.createElement("div");
                    dot.className = "geo-corpus-dot";
                    dot.style.width = dot.style.height = size + "px";
                    dot.style.background = colourOf(controls[i]);
                    var m = L.marker([p.lat, p.lon], {
                        icon: L.divIcon({html: dot, className: "geo-corpus-place",
                                         iconSize: [size, size]}),
                        count: n, keyboard: false
                    });
                    m.bindTooltip(p.name + " (" + n + ")",
                                  {direction: "top", className: "geo-tip"});
                    m.bindPopup(function () { return popup(p, pos); },
                                {maxWidth: 380, maxHeight: 340});
                    markers.push(m);
                });
                layer.clearLayers();
                layer.addLayers(markers);
                if (output) {
                    output.textContent = pos >= last ? data.allLabel :
                        (cumulative && cumulative.checked ? "up to " : "") + data.months[pos];
                }
                GEO.controls.time.position = pos;
                GEO.controls.time.shown = markers.length;
            }
            var box = L.control({position: "bottomleft"});
            box.onAdd = function () {
                var div = L.DomUtil.create("div", "geo-timebar");
                var label = L.DomUtil.create("label", "", div);
                label.textContent = "Articles of ";
                input = L.DomUtil.create("input", "geo-time-input", label);
                input.type = "range";
                input.min = 0;
                input.max = last;
                input.step = 1;
                input.value = last;
                input.setAttribute("aria-label", "Month of the articles");
                output = L.DomUtil.create("output", "geo-time-output", div);
                var cum = L.DomUtil.create("label", "geo-cumulative", div);
                cumulative = L.DomUtil.create("input", "", cum);
                cumulative.type = "checkbox";
                cum.appendChild(document.createTextNode(" up to then"));
                L.DomEvent.disableClickPropagation(div);
                L.DomEvent.on(input, "input change", function () { show(+input.value); });
                L.DomEvent.on(cumulative, "change", function () { show(+input.value); });
                return div;
            };
            GEO.controls.time = {months: data.months, show: show, position: null, shown: 0};
            box.addTo({{ this._parent.get_name() }});
            show(last);
        })();
        {% endmacro %}
        