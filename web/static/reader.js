// The document reader: zoom of the page images, jump to a page on this screen without a reload,
// and copying a page's citation. Everything works without it (links, the jump form, the text).
(function () {
  "use strict";
  var reader = document.getElementById("reader");
  if (!reader) { return; }
  var levels = [50, 75, 100, 125, 150, 200, 300];
  var level = 2;
  var out = document.getElementById("zoom-level");
  function apply() {
    reader.style.setProperty("--zoom", String(levels[level] / 100));
    reader.classList.toggle("zoomed", levels[level] !== 100);
    if (out) { out.textContent = levels[level] + "%"; }
  }
  reader.querySelectorAll("[data-zoom]").forEach(function (b) {
    b.addEventListener("click", function () {
      var d = parseInt(b.getAttribute("data-zoom"), 10);
      level = d === 0 ? 2 : Math.max(0, Math.min(levels.length - 1, level + d));
      apply();
    });
  });
  var jump = reader.querySelector("form.jump");
  if (jump) {
    jump.addEventListener("submit", function (ev) {
      var n = jump.querySelector("input[name=page]").value;
      var target = document.getElementById("p" + n);
      if (target) {
        ev.preventDefault();
        history.replaceState(null, "", "#p" + n);
        target.scrollIntoView();
        target.focus({preventScroll: true});
      }
    });
  }
  reader.querySelectorAll("button.cite").forEach(function (b) {
    b.addEventListener("click", function () {
      var text = b.getAttribute("data-cite");
      var done = function () { b.textContent = "Copied"; setTimeout(function () { b.textContent = "Copy citation"; }, 1500); };
      if (navigator.clipboard && navigator.clipboard.writeText) {
        navigator.clipboard.writeText(text).then(done, function () { b.textContent = "Select the citation below"; });
      } else { b.textContent = "Select the citation below"; }
    });
  });
}());
