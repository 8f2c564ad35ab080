(function () {
  "use strict";
  var HIT = "rgb(238,0,238)", EPS = 0.02; /* x and width have 2 decimals */
  var frames = document.getElementById("frames");
  var details = document.getElementById("details");
  var matched = document.getElementById("matched");
  var unzoomBtn = document.getElementById("unzoom");
  var searchBtn = document.getElementById("search");
  var all = [], term = null, gs = frames.getElementsByTagName("g"), i;

  /* Remember where the writer drew a frame and its full name. */
  function setup(g) {
    var r = g.getElementsByTagName("rect")[0];
    var info = g.getElementsByTagName("title")[0].textContent;
    var f = { g: g, r: r, t: g.getElementsByTagName("text")[0], info: info };

    f.x = parseFloat(r.getAttribute("x"));
    f.w = parseFloat(r.getAttribute("width"));
    f.y = parseFloat(r.getAttribute("y"));
    f.fill = r.getAttribute("fill");
    f.name = info.substring(0, info.lastIndexOf(" ("));
    f.root = g.getAttribute("id") === "all";
    g.fg = f;
    all.push(f);
  }

  function frameOf(n) {
    for (; n && n !== frames; n = n.parentNode)
      if (n.fg)
        return n.fg;
    return null;
  }

  /* Move a frame and cut its label to the characters that fit. */
  function place(f, x, w) {
    var fit = Math.floor((w - 6) / CHAR), s = f.name;

    f.r.setAttribute("x", x.toFixed(2));
    f.r.setAttribute("width", w.toFixed(2));
    f.t.setAttribute("x", (x + 3).toFixed(2));
    if (fit >= 3 && s.length > fit)
      s = s.substring(0, fit - 2) + "..";
    f.t.textContent = fit < 3 ? "" : s;
  }

  function unzoom() {
    all.forEach(function (f) {
      f.g.setAttribute("class", "f");
      place(f, f.x, f.w);
    });
    unzoomBtn.setAttribute("class", "btn hide");
  }

  /* z fills the width with its subtree; its ancestors stay, dimmed. */
  function zoom(z) {
    var scale = (W - 2 * PAD) / z.w;

    if (z.root)
      return unzoom();
    all.forEach(function (f) {
      var cls = "f hide";

      if (f.y > z.y && f.x <= z.x + EPS && f.x + f.w >= z.x + z.w - EPS) {
        cls = "f dim";
        place(f, PAD, W - 2 * PAD);
      } else if (f.y <= z.y && f.x >= z.x - EPS && f.x + f.w <= z.x + z.w + EPS) {
        cls = "f";
        place(f, PAD + (f.x - z.x) * scale, f.w * scale);
      }
      f.g.setAttribute("class", cls);
    });
    unzoomBtn.setAttribute("class", "btn");
  }

  /* A regular expression if the term is one, else a plain substring. */
  function matcher(s) {
    try {
      var re = new RegExp(s);
      return function (n) { return re.test(n); };
    } catch (e) {
      return function (n) { return n.indexOf(s) >= 0; };
    }
  }

  /* Colour the matches; their weight counted once even when nested. */
  function search(s) {
    var m = matcher(s), spans = [], sum = 0, end = -1;

    all.forEach(function (f) {
      var hit = !f.root && m(f.name);

      f.r.setAttribute("fill", hit ? HIT : f.fill);
      if (hit)
        spans.push([f.x, f.x + f.w]);
    });
    spans.sort(function (a, b) { return a[0] - b[0]; });
    spans.forEach(function (sp) {
      if (sp[1] > end) {
        sum += sp[1] - Math.max(sp[0], end);
        end = sp[1];
      }
    });
    term = s;
    sum = 100 * sum / (W - 2 * PAD);
    matched.textContent = "Matched: " + sum.toFixed(1) + "%";
    searchBtn.textContent = "Reset search";
  }

  function resetSearch() {
    all.forEach(function (f) { f.r.setAttribute("fill", f.fill); });
    term = null;
    matched.textContent = " ";
    searchBtn.textContent = "Search";
  }

  function ask() {
    var q = "Search frames (regular expression or text):";
    var s = window.prompt(q, term || "");

    if (s)
      search(s);
  }

  for (i = 0; i < gs.length; i++)
    setup(gs[i]);
  frames.addEventListener("click", function (e) {
    var f = frameOf(e.target);

    if (f)
      zoom(f);
  });
  frames.addEventListener("mouseover", function (e) {
    var f = frameOf(e.target);

    details.textContent = f ? f.info : " ";
  });
  frames.addEventListener("mouseout", function () { details.textContent = " "; });
  unzoomBtn.addEventListener("click", unzoom);
  searchBtn.addEventListener("click", function () {
    if (term !== null)
      resetSearch();
    else
      ask();
  });
  window.addEventListener("keydown", function (e) {
    if ((e.ctrlKey || e.metaKey) && (e.key === "f" || e.key === "F")) {
      e.preventDefault();
      ask();
    } else if (e.key === "Escape") {
      unzoom();
      resetSearch();
    }
  });

  /* A graph taller than the window opens at its bottom: the roots and the wide
     (hot) frames, not the empty space above the deepest stacks. */
  var graphEnd = parseFloat(details.getAttribute("y")) + 12;
  if (window.innerHeight && graphEnd > window.innerHeight && window.scrollTo)
    window.scrollTo(0, graphEnd - window.innerHeight);
})();
