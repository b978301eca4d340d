/* The map runtime: every page of `geo build` loads this one file.
 *
 * Pages and theatre assets hand it data only (GeoJSON whose popups and labels were escaped in
 * Python); nothing here builds markup from raw data values. It draws features into panes that
 * set drawing order and clicks, frames the article's focus, declutters labels by zoom, steps
 * dated layers through time, and folds controls into buttons on narrow screens.
 */
(function () {
  'use strict';
  var GEO = window.GEO = window.GEO || {};
  GEO.layers = GEO.layers || {};
  GEO.controls = GEO.controls || {};
  GEO.shared = GEO.shared || {};
  GEO.palette = GEO.palette || {};
  GEO.dated = [];
  GEO.recolor = [];

  // Drawing order, bottom to top. The context pane (countries, continents and seas the article
  // names) never takes a click, so it cannot swallow one meant for a zone, line or point.
  var PANES = {basemap: 150, context: 250, zones: 300, sea: 310, lines: 420,
               places: 480, events: 490, claims: 500, labels: 640};
  // Phones and portrait tablets (768 px): controls fold into buttons, the header is one line.
  GEO.isPhone = function () { return window.innerWidth < 820; };

  // The hatch drawn over low-certainty ground (a pattern any SVG on the page can fill with).
  function addHatch() {
    if (document.getElementById('geo-hatch')) { return; }
    var ns = 'http://www.w3.org/2000/svg';
    var svg = document.createElementNS(ns, 'svg');
    svg.setAttribute('width', '0'); svg.setAttribute('height', '0');
    svg.setAttribute('aria-hidden', 'true');
    svg.style.position = 'absolute';
    var pattern = document.createElementNS(ns, 'pattern');
    pattern.id = 'geo-hatch';
    pattern.setAttribute('patternUnits', 'userSpaceOnUse');
    pattern.setAttribute('width', '9'); pattern.setAttribute('height', '9');
    pattern.setAttribute('patternTransform', 'rotate(45)');
    var line = document.createElementNS(ns, 'rect');
    line.setAttribute('width', '4'); line.setAttribute('height', '9');
    line.setAttribute('fill', '#ffffff'); line.setAttribute('fill-opacity', '0.75');
    pattern.appendChild(line);
    var defs = document.createElementNS(ns, 'defs');
    defs.appendChild(pattern); svg.appendChild(defs);
    document.body.appendChild(svg);
  }

  GEO.setupPanes = function (map) {
    addHatch();
    Object.keys(PANES).forEach(function (name) {
      var pane = map.getPane(name) || map.createPane(name);
      pane.style.zIndex = PANES[name];
      if (name === 'context' || name === 'basemap' || name === 'labels') {
        pane.style.pointerEvents = 'none';
      }
    });
    GEO.map = map;
  };

  GEO.FALLBACK = '#6b7280';  // geo.render.palette.FALLBACK
  GEO.colorOf = function (actor, fallback) {
    return (actor && GEO.palette[actor]) || fallback || '#6b7280';
  };

  function popupOptions() {
    var phone = GEO.isPhone();
    return {maxWidth: phone ? Math.min(300, window.innerWidth - 40) : 380,
            maxHeight: phone ? Math.round(window.innerHeight * 0.45) : 340,
            autoPanPaddingTopLeft: phone ? [10, 70] : [20, 20],
            autoPanPaddingBottomRight: phone ? [10, 60] : [20, 20]};
  }

  function iconOf(name) {
    return /^fa-[a-z0-9-]+$/.test(name || '') ? name : 'fa-circle-exclamation';
  }

  GEO.featureLayer = function (fc, opts) {
    opts = opts || {};
    var pane = opts.pane || 'overlayPane';
    var renderer = opts.canvas ? L.canvas({padding: 0.5, pane: pane}) : undefined;
    var group = L.featureGroup();
    function styleOf(p) {
      var s = Object.assign({}, opts.style || {}, p._style || {});
      if (p._actor) {
        var c = GEO.colorOf(p._actor, s.color);
        if (s.fill !== false) { s.fillColor = c; }
        if (p._stroke !== 'keep') { s.color = c; }
        // A minor actor the palette had no distinct colour left for: grey, and dashed so it
        // does not read as "unknown" (the legend's "other backers" row).
        if (GEO.palette[p._actor] === GEO.FALLBACK && p._arrow) { s.dashArray = '7 5'; }
      }
      s.className = [opts.className || '', p._class || ''].join(' ').trim();
      s.pane = p._pane || pane;
      if (renderer) { s.renderer = renderer; }
      if (opts.interactive === false || s.pane === 'context') { s.interactive = false; }
      return s;
    }
    function decorate(f, layer) {
      var p = f.properties || {};
      if (p._popup) { layer.bindPopup(p._popup, popupOptions()); }
      if (p._tooltip) {
        layer.bindTooltip(p._tooltip, {direction: 'top', className: 'geo-tip'});
      }
      layer.feature = f;
    }
    (fc.features || []).forEach(function (f) {
      var p = f.properties || {};
      var layer;
      if (p._event && f.geometry && f.geometry.type === 'Point') {
        var c = f.geometry.coordinates;
        var cls = 'geo-event-icon geo-event-' + (p._when || 'before') + ' ' + (p._class || '');
        layer = L.marker([c[1], c[0]], {
          pane: 'events', keyboard: false,
          icon: L.divIcon({className: cls, iconSize: [22, 22], iconAnchor: [27, 27],
                           popupAnchor: [-16, -24],
                           html: '<i class="fa-solid ' + iconOf(p._event) + '"></i>'})
        });
        decorate(f, layer);
      } else if (p._icon && f.geometry && f.geometry.type === 'Point') {
        // A badge: the icon in white on the feature's colour (claims read from the article),
        // at its place's point, drawn _offset pixels from it (beside the place's marker).
        var at = f.geometry.coordinates;
        var fillOf = /^#[0-9a-fA-F]{3,8}$/.test(p._color || '') ? p._color : '#475569';
        var off = Array.isArray(p._offset) ? [+p._offset[0] || 0, +p._offset[1] || 0] : [0, 0];
        layer = L.marker([at[1], at[0]], {
          pane: p._pane || pane, keyboard: false,
          icon: L.divIcon({className: 'geo-icon-marker ' + (p._class || ''), iconSize: [24, 24],
                           iconAnchor: [12 - off[0], 12 - off[1]],
                           popupAnchor: [off[0], off[1] - 12],
                           tooltipAnchor: [off[0], off[1] - 12],
                           html: '<span class="geo-icon-badge" style="background:' + fillOf +
                                 '"><i class="fa-solid ' + iconOf(p._icon) + '"></i></span>'})
        });
        decorate(f, layer);
      } else {
        layer = L.geoJSON(f, {
          style: function () { return styleOf(p); },
          pointToLayer: function (g, latlng) {
            return L.circleMarker(latlng, Object.assign({radius: 6}, styleOf(p)));
          },
          onEachFeature: decorate
        });
        if (p._arrow && L.polylineDecorator) {
          layer.eachLayer(function (line) { group.addLayer(arrows(line, p, styleOf(p))); });
        }
      }
      group.addLayer(layer);
    });
    return group;
  };

  // Fixed-pixel arrowheads: one at the end (support), or repeated along the line (routes).
  function arrows(line, p, style) {
    var every = p._arrow === 'repeat';
    var deco = L.polylineDecorator(line, {patterns: [{
      offset: every ? '12%' : '100%', repeat: every ? '25%' : 0,
      symbol: L.Symbol.arrowHead({pixelSize: every ? 9 : 13, polygon: true, headAngle: 60,
        pathOptions: {stroke: false, fill: true, fillOpacity: 0.95,
                      fillColor: style.color, pane: style.pane,
                      className: 'geo-arrowhead ' + (style.className || '')}})
    }]});
    deco.on('click', function (e) { line.fire('click', e); });
    return deco;
  }

  // A layer whose features carry _start/_end dates; GEO.time fills it for the chosen day.
  GEO.datedLayer = function (fc, opts) {
    var group = L.featureGroup();
    GEO.dated.push({group: group, fc: fc, opts: opts || {}});
    return group;
  };

  function fill(entry, day) {
    var kept = (entry.fc.features || []).filter(function (f) {
      var p = f.properties || {};
      if (p._start && day && p._start > day) { return false; }
      if (p._end && day && p._end <= day) { return false; }
      return true;
    }).map(function (f) {
      if (!f.properties._event) { return f; }
      var g = Object.assign({}, f, {properties: Object.assign({}, f.properties)});
      var days = (Date.parse(day) - Date.parse(f.properties._date)) / 864e5;
      g.properties._when = days <= 45 ? 'recent' : 'before';
      return g;
    });
    entry.group.clearLayers();
    entry.group.addLayer(GEO.featureLayer({features: kept}, entry.opts));
  }

  // Theatre layers from a shared asset (GEO.shared[key].layers[name]).
  GEO.sharedLayer = function (key, name, opts) {
    var data = (GEO.shared[key] || {layers: {}}).layers[name] || {features: []};
    return GEO.datedLayer(data, opts);
  };

  // Undated shared features (the basemap of a region): drawn at once.
  GEO.sharedFeatures = function (key, name, opts) {
    var data = (GEO.shared[key] || {layers: {}}).layers[name] || {features: []};
    return GEO.featureLayer(data, opts);
  };

  GEO.recolorPlaces = function (layer) {
    GEO.recolor.push(layer);
  };

  function heldOn(held, day) {
    var best = null;
    Object.keys(held || {}).sort().forEach(function (d) { if (!day || d <= day) { best = d; } });
    return best === null ? null : held[best];
  }

  function recolor(day) {
    GEO.recolor.forEach(function (layer) {
      layer.eachLayer(function (g) {
        (g.eachLayer ? g : L.featureGroup([g])).eachLayer(function (m) {
          var p = (m.feature || {}).properties || {};
          if (!p._held || !m.setStyle) { return; }
          var actor = heldOn(p._held, day);
          m.setStyle({fillColor: actor ? GEO.colorOf(actor) : '#6b7280'});
          if (m._path) { m._path.setAttribute('data-actor', actor || ''); }
        });
      });
    });
  }

  function daysBetween(a, b) {
    return Math.round((Date.parse(b) - Date.parse(a)) / 864e5);
  }

  // The time bar: one slider over every date the map's theatres record, a play button, and an
  // honest label saying how the shown date relates to the article's.
  GEO.timeBar = function (map, cfg) {
    var dates = cfg.dates;
    var article = cfg.article;
    var box = L.control({position: 'bottomleft'});
    var input, output, play, timer = null;
    var controlDates = cfg.control_dates || [];
    function inForce(day) {
      var best = null;
      controlDates.forEach(function (d) { if (d <= day) { best = d; } });
      return best;
    }
    function plural(n, word) { return n + ' ' + word + (n === 1 ? '' : 's'); }
    function describe(day) {
      var cd = inForce(day);
      if (!cd) { return 'No ground-control data on or before ' + day; }
      if (article && day === article) {
        if (cd === day) { return "Ground control on " + day + " (the article's date)"; }
        return 'Ground control: latest data before the article: ' + cd + ', ' +
          plural(daysBetween(cd, article), 'day') + ' earlier';
      }
      if (!article) { return 'Ground control as reported on ' + cd; }
      var n = daysBetween(cd, article);
      return 'Ground control on ' + cd + ' (' + (n === 0 ? "the article's date" :
        n > 0 ? plural(n, 'day') + ' before the article' : plural(-n, 'day') + ' after the article') + ')';
    }
    function show(i) {
      var day = dates[i];
      GEO.dated.forEach(function (entry) { fill(entry, day); });
      recolor(day);
      if (output) { output.textContent = describe(day); }
      if (input && +input.value !== i) { input.value = i; }
      GEO.time.index = i;
      GEO.time.date = day;
    }
    function stop() {
      if (timer) { clearInterval(timer); timer = null; }
      if (play) { play.textContent = '▶'; play.setAttribute('aria-label', 'Play'); }
    }
    function start() {
      if (GEO.time.index >= dates.length - 1) { show(0); }
      play.textContent = '❚❚';
      play.setAttribute('aria-label', 'Pause');
      timer = setInterval(function () {
        if (GEO.time.index >= dates.length - 1) { stop(); return; }
        show(GEO.time.index + 1);
      }, Math.max(250, Math.min(1200, 8000 / dates.length)));
    }
    box.onAdd = function () {
      var div = L.DomUtil.create('div', 'geo-timebar');
      if (dates.length > 1) {
        play = L.DomUtil.create('button', 'geo-play', div);
        play.type = 'button';
        play.textContent = '▶';
        play.setAttribute('aria-label', 'Play');
        L.DomEvent.on(play, 'click', function () { if (timer) { stop(); } else { start(); } });
        input = L.DomUtil.create('input', 'geo-time-input', div);
        input.type = 'range';
        input.min = 0;
        input.max = dates.length - 1;
        input.step = 1;
        input.value = cfg.start;
        input.setAttribute('aria-label', 'Date of ground control');
        L.DomEvent.on(input, 'input change', function () { stop(); show(+input.value); });
      }
      output = L.DomUtil.create('output', 'geo-time-output', div);
      L.DomEvent.disableClickPropagation(div);
      return div;
    };
    map.on('popupopen', function (e) {
      var el = e.popup.getElement();
      var cd = inForce(GEO.time.date);
      if (el) {
        Array.prototype.forEach.call(el.querySelectorAll('.geo-asof'), function (s) {
          s.textContent = cd || 'no recorded date';
        });
      }
    });
    GEO.time = {dates: dates, show: show, play: function () { if (!timer) { start(); } },
                stop: stop, index: cfg.start, date: dates[cfg.start]};
    GEO.controls.time = GEO.time;
    box.addTo(map);
    show(cfg.start);
  };

  // Without theatre dates, dated layers (none) and place colours still need one fill.
  GEO.staticTime = function (day) {
    GEO.dated.forEach(function (entry) { fill(entry, day); });
    recolor(day);
  };

  // Labels: each carries a bit mask of the zoom levels at which it fits (computed at build
  // time, greedy by importance), so labels never overlap; zooming only toggles classes.
  GEO.labels = function (map, items) {
    // A label's marker is made the first time its zoom shows it and is off the map at other
    // zooms: a page with hundreds of candidate labels builds only the few dozen in view.
    var markers = items.map(function () { return null; });
    function make(it) {
      return L.marker([it.lat, it.lon], {
        pane: 'labels', interactive: false, keyboard: false,
        icon: L.divIcon({className: 'geo-label geo-label-' + it.kind, iconSize: null,
                         iconAnchor: it.kind === 'country' ? [0, 0] : [-7, 8],
                         html: '<span>' + it.html + '</span>'})
      });
    }
    var layer = L.layerGroup().addTo(map);
    function update() {
      var z = Math.floor(map.getZoom() + 1e-6);  // laid out per whole zoom: never denser
      items.forEach(function (it, i) {
        var m = markers[i];
        if ((it.zooms >>> z) & 1) {
          if (!m) { m = markers[i] = make(it); }
          if (!layer.hasLayer(m)) { layer.addLayer(m); }
        } else if (m && layer.hasLayer(m)) {
          layer.removeLayer(m);
        }
      });
    }
    map.on('zoomend', update);
    update();
    GEO.controls.labels = {layer: layer, update: update};
  };

  // The focus is fitted into the free rectangle (no control over it) in which it can be drawn
  // largest, with a margin of 4% of the viewport plus 16 px. Candidate edges are the viewport's
  // and the controls' own: a dozen controls make a few thousand candidates, well under 1 ms.
  GEO.frame = function (map, bounds, maxZoom) {
    if (!bounds) { return; }
    var size = map.getSize();
    var box = map.getContainer().getBoundingClientRect();
    var corners = Array.prototype.slice.call(map.getContainer().querySelectorAll(
      '.leaflet-control-container > div > .leaflet-control'))
      .concat(Array.prototype.slice.call(document.querySelectorAll('.geo-header')));
    var rects = [];
    corners.forEach(function (el) {
      var r = el.getBoundingClientRect();
      if (!r.width || !r.height) { return; }
      rects.push({l: r.left - box.left, t: r.top - box.top, r: r.right - box.left,
        b: r.bottom - box.top});
    });
    var ll = L.latLngBounds(bounds);
    var sw = map.project(ll.getSouthWest(), 0), ne = map.project(ll.getNorthEast(), 0);
    var bw = Math.max(1e-6, ne.x - sw.x), bh = Math.max(1e-6, sw.y - ne.y);
    // Room for markers, labels and the claim badges beside them (up to 40 px from a point).
    var fx = Math.max(44, size.x * 0.04 + 16), fy = Math.max(44, size.y * 0.04 + 16);
    var lefts = [0], rights = [size.x], tops = [0], bottoms = [size.y];
    rects.forEach(function (r) {
      lefts.push(r.r); rights.push(r.l); tops.push(r.b); bottoms.push(r.t);
    });
    var best = {left: 0, right: 0, top: 0, bottom: 0}, bestScale = -1;
    lefts.forEach(function (x0) { rights.forEach(function (x1) {
      if (x1 - x0 <= 2 * fx) { return; }
      tops.forEach(function (y0) { bottoms.forEach(function (y1) {
        if (y1 - y0 <= 2 * fy) { return; }
        var scale = Math.min((x1 - x0 - 2 * fx) / bw, (y1 - y0 - 2 * fy) / bh);
        if (scale <= bestScale) { return; }
        for (var i = 0; i < rects.length; i++) {
          var r = rects[i];
          if (r.l < x1 && r.r > x0 && r.t < y1 && r.b > y0) { return; }
        }
        bestScale = scale;
        best = {left: x0, right: size.x - x1, top: y0, bottom: size.y - y1};
      }); });
    }); });
    var pad = best;
    map.fitBounds(bounds, {
      paddingTopLeft: [pad.left + fx, pad.top + fy],
      paddingBottomRight: [pad.right + fx, pad.bottom + fy],
      maxZoom: maxZoom || 9, animate: false
    });
    GEO.controls.frame = {bounds: bounds, padding: pad};
  };

  // Search: every name of the article's places (its words, GeoNames' name and alternates) and
  // the theatres' towns. A hit on an article place opens that place's popup; a theatre town
  // gets a short note. Names and notes are set as text, never as markup.
  GEO.placeSearch = function (map, entries) {
    // Records are plain data (no map layer): nothing is drawn or built for them at load.
    var records = null;
    var control = new L.Control.Search({
      sourceData: function (text, callResponse) {
        callResponse(entries);
        return {abort: function () {}};
      },
      formatData: function (list) {
        if (!records) {
          records = {};
          list.forEach(function (e) {
            var ll = L.latLng(e.lat, e.lon);
            ll.layer = {geo: e};
            records[e.t] = ll;
          });
        }
        return records;
      },
      initial: false, marker: false, zoom: 8,
      position: 'topleft', textPlaceholder: 'Search places',
      // One tip per place: its own name when that matches, else the first other name that
      // does; names that start with the typed text first.
      filterData: function (text, records) {
        var q = text.toLowerCase(), hits = [], seen = {}, out = {};
        if (!q) { return out; }
        Object.keys(records).forEach(function (k) {
          var at = k.toLowerCase().indexOf(q);
          if (at >= 0) { hits.push([k, at === 0 ? 0 : 1, records[k].layer.geo]); }
        });
        hits.sort(function (a, b) {
          return (a[1] - b[1]) || ((a[2].note.charAt(0) === '=') - (b[2].note.charAt(0) === '='))
            || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0);
        });
        hits.forEach(function (h) {
          var id = h[2].id || ('town:' + h[2].t);
          if (!seen[id]) { seen[id] = true; out[h[0]] = records[h[0]]; }
        });
        return out;
      },
      buildTip: function (text, val) {
        var li = L.DomUtil.create('li', '');
        li.textContent = text;
        var note = val && val.layer && val.layer.geo && val.layer.geo.note;
        if (note) {
          var span = L.DomUtil.create('span', 'geo-search-note', li);
          span.textContent = ' ' + note;
        }
        return li;
      }
    });
    control.on('search:locationfound', function (e) {
      var hit = e.layer && e.layer.geo;
      if (!hit) { return; }
      var target = null;
      if (hit.id && GEO.layers.places) {
        GEO.layers.places.eachLayer(function walk(l) {
          if (l.eachLayer) { l.eachLayer(walk); return; }
          if (!target && l.feature && l.feature.properties.id === hit.id && l.openPopup) {
            target = l;
          }
        });
      }
      if (target) {
        if (!map.hasLayer(GEO.layers.places)) { map.addLayer(GEO.layers.places); }
        target.openPopup();
        return;
      }
      var div = document.createElement('div');
      var b = document.createElement('b');
      b.className = 'geo-popup-title';
      b.textContent = hit.t;
      div.appendChild(b);
      if (hit.note) {
        var p = document.createElement('div');
        p.textContent = hit.note;
        div.appendChild(p);
      }
      L.popup(popupOptions()).setLatLng(e.latlng).setContent(div).openOn(map);
    });
    map.addControl(control);
    GEO.controls.search = control;
  };

  // The legend lists what is drawn: a row shows while one of its layers is on the map, a
  // section while one of its rows shows. Follows the layer control's ticks.
  GEO.syncLegend = function (map) {
    var root = document.getElementById('geo-legend');
    if (!root) { return; }
    function sync() {
      root.querySelectorAll('.geo-item[data-layers]').forEach(function (el) {
        el.hidden = !el.getAttribute('data-layers').split(' ').some(function (k) {
          return GEO.layers[k] && map.hasLayer(GEO.layers[k]);
        });
      });
      root.querySelectorAll('.geo-legend-section').forEach(function (sec) {
        sec.hidden = !sec.querySelector('.geo-item:not([hidden])');
      });
    }
    map.on('overlayadd overlayremove', sync);
    sync();
    GEO.controls.syncLegend = sync;
  };

  // Narrow screens: the layer control and the legend fold into buttons.
  GEO.compact = function (map) {
    var phone = GEO.isPhone();
    document.documentElement.classList.toggle('geo-phone', phone);
    var legend = document.querySelector('#geo-legend details');
    if (legend && phone) { legend.removeAttribute('open'); }
    if (GEO.controls.minimap && phone) { map.removeControl(GEO.controls.minimap); }
    // A popup nearly as wide as a phone would open under the corner buttons (controls sit
    // above every map pane): they step aside while it is open (CSS .geo-popup-open).
    var box = map.getContainer();
    map.on('popupopen', function () { L.DomUtil.addClass(box, 'geo-popup-open'); });
    map.on('popupclose', function () { L.DomUtil.removeClass(box, 'geo-popup-open'); });
  };

  // The story panel: the article's sentences that name places, then the theatres' events by
  // date. Clicking an entry flies to the place (or event) and opens its popup. Collapsed to a
  // button at first; a bottom sheet on phones.
  // The first feature of a layer (searched through its groups) whose property `key` is `value`.
  function findFeature(layerName, key, value) {
    var found = null;
    (GEO.layers[layerName] || L.featureGroup()).eachLayer(function walk(l) {
      if (found) { return; }
      if (l.feature && l.feature.properties && l.feature.properties[key] === value) { found = l; }
      else if (l.eachLayer) { l.eachLayer(walk); }
    });
    return found;
  }
  function openAt(layer) {
    if (!layer || !GEO.map) { return; }
    var ll = layer.getLatLng ? layer.getLatLng() : layer.getBounds().getCenter();
    GEO.map.flyTo(ll, Math.max(GEO.map.getZoom(), 7), {duration: 0.6});
    GEO.map.once('moveend', function () { layer.openPopup(ll); });
  }
  // The claims a sentence makes, under it; a click opens the claim's own marker.
  function storyClaims(map, li, claims) {
    var ul = L.DomUtil.create('ul', 'geo-story-claims', li);
    claims.forEach(function (c) {
      var item = L.DomUtil.create('li', 'geo-story-claim', ul);
      item.tabIndex = 0;
      L.DomUtil.create('i', 'fa-solid ' + iconOf(c.icon), item).setAttribute('aria-hidden', 'true');
      var label = L.DomUtil.create('span', '', item);
      label.innerHTML = ' ' + c.html;  // escaped in Python
      L.DomEvent.on(item, 'click', function (e) {
        L.DomEvent.stop(e);
        if (GEO.layers.claims && !map.hasLayer(GEO.layers.claims)) { map.addLayer(GEO.layers.claims); }
        openAt(findFeature('claims', '_claim', c.claim));
      });
      L.DomEvent.on(item, 'keydown', function (e) {
        if (e.key === 'Enter' || e.key === ' ') { L.DomEvent.stop(e); item.click(); }
      });
    });
  }
  GEO.story = function (map, items) {
    var box = L.control({position: 'topleft'});
    box.onAdd = function () {
      var wrap = L.DomUtil.create('div', 'geo-story');
      var toggle = L.DomUtil.create('button', 'geo-story-toggle', wrap);
      toggle.type = 'button';
      toggle.textContent = 'Story';
      toggle.setAttribute('aria-expanded', 'false');
      var body = L.DomUtil.create('div', 'geo-story-body', wrap);
      var h = L.DomUtil.create('h2', '', body);
      h.textContent = 'In the article';
      var ol = L.DomUtil.create('ol', '', body);
      items.forEach(function (it) {
        var li = L.DomUtil.create('li', 'geo-story-item', ol);
        li.innerHTML = it.html;  // escaped in Python, names in <mark>
        li.tabIndex = 0;
        L.DomEvent.on(li, 'click', function () { openAt(findFeature('places', 'id', it.places[0])); });
        if (it.claims && it.claims.length) { storyClaims(map, li, it.claims); }
      });
      var events = [];
      Object.keys(GEO.layers).forEach(function (key) {
        if (key.indexOf('events') !== 0) { return; }
        var shared = GEO.shared[key.split('-').slice(1).join('-')] ||
          GEO.shared[Object.keys(GEO.shared).filter(function (k) { return k.indexOf('basemap') !== 0; })[0]];
        ((shared && shared.layers.events) || {features: []}).features.forEach(function (f) {
          events.push({date: f.properties._date, tip: f.properties._tooltip, f: f, key: key});
        });
      });
      if (events.length) {
        var h2 = L.DomUtil.create('h2', '', body);
        h2.textContent = 'Theatre events by date';
        var ul = L.DomUtil.create('ol', 'geo-story-events', body);
        events.sort(function (a, b) { return a.date < b.date ? -1 : a.date > b.date ? 1 : 0; });
        events.forEach(function (ev) {
          var li = L.DomUtil.create('li', 'geo-story-item', ul);
          li.innerHTML = ev.tip;  // escaped in Python
          L.DomEvent.on(li, 'click', function () {
            var group = GEO.layers[ev.key];
            if (group && !map.hasLayer(group)) { map.addLayer(group); }
            var c = ev.f.geometry.coordinates;
            if (GEO.time && ev.date > GEO.time.date) {
              var i = GEO.time.dates.length - 1;
              GEO.time.dates.forEach(function (d, k) { if (d >= ev.date && k < i) { i = k; } });
              GEO.time.show(i);
            }
            var hit = null;
            group.eachLayer(function walk(l) {
              if (hit) { return; }
              if (l.feature === ev.f || (l.feature && l.getLatLng &&
                  l.feature.properties._popup === ev.f.properties._popup)) { hit = l; }
              else if (l.eachLayer) { l.eachLayer(walk); }
            });
            if (hit) { openAt(hit); } else { map.flyTo([c[1], c[0]], 7); }
          });
        });
      }
      L.DomEvent.on(toggle, 'click', function () {
        var open = wrap.classList.toggle('geo-story-open');
        toggle.setAttribute('aria-expanded', open ? 'true' : 'false');
      });
      L.DomEvent.disableClickPropagation(wrap);
      L.DomEvent.disableScrollPropagation(wrap);
      return wrap;
    };
    box.addTo(map);
    GEO.controls.story = box;
  };

  // Source codes in popups open the list of the map's sources, with titles and links.
  function sourcePanel() {
    var panel = document.getElementById('geo-sources');
    if (panel) { return panel; }
    panel = document.createElement('div');
    panel.id = 'geo-sources';
    panel.className = 'geo-sources-panel';
    var head = document.createElement('div');
    head.className = 'geo-sources-head';
    head.textContent = 'Sources';
    var close = document.createElement('button');
    close.type = 'button';
    close.textContent = '×';
    close.setAttribute('aria-label', 'Close the source list');
    close.onclick = function () { panel.style.display = 'none'; };
    head.appendChild(close);
    panel.appendChild(head);
    var list = document.createElement('ol');
    Object.keys(GEO.shared).sort().forEach(function (key) {
      var sources = GEO.shared[key].sources || {};
      Object.keys(sources).sort().forEach(function (code) {
        var s = sources[code], li = document.createElement('li');
        li.setAttribute('data-src', code);
        var b = document.createElement('b');
        b.textContent = code + ' ';
        li.appendChild(b);
        li.appendChild(document.createTextNode(s.title || ''));
        if (s.url && /^https?:\/\//i.test(s.url)) {
          var a = document.createElement('a');
          a.href = s.url;
          a.rel = 'noopener noreferrer nofollow';
          a.textContent = ' ' + s.url;
          li.appendChild(a);
        }
        list.appendChild(li);
      });
    });
    panel.appendChild(list);
    (GEO.map ? GEO.map.getContainer() : document.body).appendChild(panel);
    L.DomEvent.disableClickPropagation(panel);
    L.DomEvent.disableScrollPropagation(panel);
    return panel;
  }
  document.addEventListener('click', function (e) {
    var link = e.target && e.target.closest ? e.target.closest('.geo-src') : null;
    if (!link) { return; }
    e.preventDefault();
    var panel = sourcePanel(), code = link.getAttribute('data-src');
    panel.style.display = 'block';
    Array.prototype.forEach.call(panel.querySelectorAll('li'), function (li) {
      var on = li.getAttribute('data-src') === code;
      li.classList.toggle('geo-src-on', on);
      if (on) { li.scrollIntoView({block: 'nearest'}); }
    });
  }, true);

  // Choosing the online basemap with no network: say so instead of a blank map.
  GEO.tileWarning = function (map, tiles) {
    var shown = false;
    tiles.on('tileerror', function () {
      if (shown) { return; }
      shown = true;
      var div = L.DomUtil.create('div', 'geo-offline-note', map.getContainer());
      div.textContent = 'OpenStreetMap tiles need a network connection; ' +
        'switch back to "Natural Earth (offline)" in the layer control.';
      tiles.once('remove', function () { div.remove(); shown = false; });
    });
  };
})();
