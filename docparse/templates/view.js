/* docparse view: keyboard navigation between parts, repairs and letters; the source
   block of the part in focus is outlined. Reads the page, writes no input text. */
(function () {
  "use strict";
  var parts = Array.prototype.slice.call(document.querySelectorAll(".part"));
  var repairs = Array.prototype.slice.call(document.querySelectorAll("mark.repair"));
  var letters = Array.prototype.slice.call(document.querySelectorAll("article.letter > h2"));
  var lit = [];

  function light(pid) {
    lit.forEach(function (el) { el.classList.remove("linked"); });
    lit = [];
    if (!pid) { return; }
    var linked = document.querySelectorAll('[data-part="' + pid + '"]');
    Array.prototype.forEach.call(linked, function (el) { el.classList.add("linked"); lit.push(el); });
  }

  function follows(a, b) { /* does b come after a in the document? */
    return Boolean(a.compareDocumentPosition(b) & Node.DOCUMENT_POSITION_FOLLOWING);
  }

  function go(list, step) {
    if (!list.length) { return; }
    var at = document.activeElement;
    var i = list.indexOf(at), target = null, k;
    if (i >= 0) {
      target = list[Math.min(Math.max(i + step, 0), list.length - 1)];
    } else if (!at || at === document.body) {
      target = step > 0 ? list[0] : list[list.length - 1];
    } else if (step > 0) {
      for (k = 0; k < list.length && !target; k++) { if (follows(at, list[k]) && !list[k].contains(at)) { target = list[k]; } }
      target = target || list[list.length - 1];
    } else {
      for (k = list.length - 1; k >= 0 && !target; k--) { if (follows(list[k], at) && !list[k].contains(at)) { target = list[k]; } }
      target = target || list[0];
    }
    target.focus();
    target.scrollIntoView({ block: "center" });
  }

  document.addEventListener("focusin", function (event) {
    var part = event.target.closest ? event.target.closest(".part") : null;
    light(part ? part.id : null);
  });

  document.addEventListener("click", function (event) {
    var from = event.target.closest ? event.target.closest("[data-part]") : null;
    if (!from) { return; }
    var part = document.getElementById(from.getAttribute("data-part"));
    if (part) { part.focus(); part.scrollIntoView({ block: "center" }); }
  });

  document.addEventListener("keydown", function (event) {
    if (event.ctrlKey || event.metaKey || event.altKey) { return; }
    var t = event.target;
    if (t && (t.tagName === "INPUT" || t.tagName === "TEXTAREA" || t.isContentEditable)) { return; }
    switch (event.key) {
      case "j": go(parts, 1); break;
      case "k": go(parts, -1); break;
      case "n": go(repairs, 1); break;
      case "p": go(repairs, -1); break;
      case "]": go(letters, 1); break;
      case "[": go(letters, -1); break;
      case "?": var help = document.getElementById("help"); help.open = !help.open; break;
      default: return;
    }
    event.preventDefault();
  });
}());
