
        {% macro script(this, kwargs) %}
        // folium gives max_zoom to tile layers only; clustering needs the map to know it.
        {{ this._parent.get_name() }}.setMaxZoom({{ this.max_zoom }});
        var {{ this.get_name() }} = L.markerClusterGroup({
            chunkedLoading: true,
            showCoverageOnHover: false,
            maxClusterRadius: 45,
            iconCreateFunction: function (cluster) {
                var total = 0;
                cluster.getAllChildMarkers().forEach(function (m) { total += m.options.count; });
                var size = total < 100 ? 40 : total < 1000 ? 46 : 52;
                var div = document.createElement("div");
                var inner = document.createElement("div");
                inner.textContent = String(total);
                div.appendChild(inner);
                return L.divIcon({html: div.innerHTML, className: "geo-corpus-cluster",
                                  iconSize: L.point(size, size)});
            }
        });
        GEO.layers["corpus"] = {{ this.get_name() }};
        {% endmacro %}
        