// Keyboard navigation of search results: "/" focuses the search box, j / k move to the next /
// previous result link (they are ordinary links: Tab and Enter work without this script).
(function () {
  "use strict";
  function links() { return Array.prototype.slice.call(document.querySelectorAll(".hit .hit-link")); }
  document.addEventListener("keydown", function (ev) {
    if (ev.altKey || ev.ctrlKey || ev.metaKey) { return; }
    var t = ev.target;
    if (t && (t.tagName === "INPUT" || t.tagName === "TEXTAREA" || t.tagName === "SELECT" || t.isContentEditable)) { return; }
    if (ev.key === "/") {
      var box = document.getElementById("q");
      if (box) { ev.preventDefault(); box.focus(); box.select(); }
      return;
    }
    if (ev.key !== "j" && ev.key !== "k") { return; }
    var all = links();
    if (!all.length) { return; }
    var i = all.indexOf(document.activeElement);
    i = ev.key === "j" ? Math.min(all.length - 1, i + 1) : Math.max(0, i < 0 ? 0 : i - 1);
    ev.preventDefault();
    all[i].focus();
    all[i].closest(".hit").scrollIntoView({block: "nearest"});
  });
}());
