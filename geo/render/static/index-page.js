// The index of article maps: filter by text, date range, theatre and place; newest first;
// one page of rows at a time. Every value from an article goes in with textContent, never as
// markup. Reads the JSON block written by geo/render/index_page.py.
(function () {
  "use strict";
  var source = document.getElementById("maps-data");
  if (!source) return;
  var data = JSON.parse(source.textContent);
  var rows = data.rows;
  var theatres = data.theatres;
  var pageSize = data.pageSize || 50;
  // Lower-cased search text per row, computed once: title, source, date, theatres and places.
  var haystack = new Array(rows.length);
  var places = new Array(rows.length);
  for (var i = 0; i < rows.length; i++) {
    var r = rows[i];
    var names = r[7].map(function (t) { return theatres[t]; }).join(" ");
    places[i] = r[8].toLowerCase();
    haystack[i] = (r[1] + "\n" + r[3] + "\n" + r[2] + "\n" + names + "\n" + r[8]).toLowerCase();
  }

  var form = document.getElementById("filters");
  var q = document.getElementById("q");
  var from = document.getElementById("from");
  var to = document.getElementById("to");
  var theatre = document.getElementById("theatre");
  var place = document.getElementById("place");
  var tbody = document.getElementById("rows");
  var count = document.getElementById("count");
  var pager = document.getElementById("pager");
  var pageLabel = document.getElementById("page");
  var prev = document.getElementById("prev");
  var next = document.getElementById("next");
  var shown = [];
  var page = 0;

  function link(href, text) {
    var a = document.createElement("a");
    a.setAttribute("href", href);
    a.textContent = text;
    return a;
  }

  function cell(tr, text, cls) {
    var td = document.createElement("td");
    if (cls) td.className = cls;
    td.textContent = text;
    tr.appendChild(td);
  }

  function rowElement(r) {
    var tr = document.createElement("tr");
    var td = document.createElement("td");
    var slug = encodeURIComponent(r[0]);
    td.appendChild(link(slug + ".html", r[1]));
    var files = document.createElement("div");
    files.className = "files";
    files.appendChild(link(slug + ".geojson", "GeoJSON"));
    files.appendChild(link(slug + ".csv", "CSV"));
    files.appendChild(link(slug + ".review.csv", "review"));
    td.appendChild(files);
    tr.appendChild(td);
    cell(tr, r[2]);
    cell(tr, r[3]);
    cell(tr, String(r[4]), "num");
    cell(tr, String(r[5]), "num");
    cell(tr, String(r[6]), "num");
    return tr;
  }

  function matches(i, words, start, end, th, pl) {
    var r = rows[i];
    if (start && (!r[2] || r[2] < start)) return false;
    if (end && (!r[2] || r[2] > end)) return false;
    if (th >= 0 && r[7].indexOf(th) < 0) return false;
    if (pl && places[i].indexOf(pl) < 0) return false;
    for (var w = 0; w < words.length; w++) {
      if (haystack[i].indexOf(words[w]) < 0) return false;
    }
    return true;
  }

  function filter() {
    var words = q.value.toLowerCase().split(/\s+/).filter(Boolean);
    var th = theatre.value === "" ? -1 : Number(theatre.value);
    var pl = place.value.trim().toLowerCase();
    shown = [];
    for (var i = 0; i < rows.length; i++) {
      if (matches(i, words, from.value, to.value, th, pl)) shown.push(i);
    }
    page = 0;
    draw();
  }

  function draw() {
    var pages = Math.max(1, Math.ceil(shown.length / pageSize));
    page = Math.min(Math.max(page, 0), pages - 1);
    var frag = document.createDocumentFragment();
    var end = Math.min(shown.length, (page + 1) * pageSize);
    for (var k = page * pageSize; k < end; k++) frag.appendChild(rowElement(rows[shown[k]]));
    if (!shown.length) {
      var tr = document.createElement("tr");
      var td = document.createElement("td");
      td.colSpan = 6;
      td.textContent = rows.length ? "No map matches these filters." : "No maps built yet.";
      tr.appendChild(td);
      frag.appendChild(tr);
    }
    tbody.replaceChildren(frag);
    var total = shown.length === rows.length ? "" : " of " + rows.length;
    count.textContent = shown.length + total + " map" + (rows.length === 1 ? "" : "s");
    pager.hidden = pages < 2;
    pageLabel.textContent = "Page " + (page + 1) + " of " + pages;
    prev.disabled = page === 0;
    next.disabled = page >= pages - 1;
  }

  form.addEventListener("submit", function (e) { e.preventDefault(); });
  [q, place].forEach(function (el) { el.addEventListener("input", filter); });
  [from, to, theatre].forEach(function (el) { el.addEventListener("change", filter); });
  prev.addEventListener("click", function () { page -= 1; draw(); window.scrollTo(0, 0); });
  next.addEventListener("click", function () { page += 1; draw(); window.scrollTo(0, 0); });
  form.hidden = false;
  for (var j = 0; j < rows.length; j++) shown.push(j);
  draw();
})();
