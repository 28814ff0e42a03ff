// On a phone, a long navigation folds behind one "Menu" button. Without script it stays open.
(function () {
  "use strict";
  document.addEventListener("DOMContentLoaded", function () {
    var button = document.querySelector(".nav-toggle");
    var nav = document.getElementById("main-nav");
    if (!button || !nav) { return; }
    button.hidden = false;
    nav.classList.add("is-collapsed");
    button.addEventListener("click", function () {
      var open = button.getAttribute("aria-expanded") === "true";
      button.setAttribute("aria-expanded", open ? "false" : "true");
      nav.classList.toggle("is-collapsed", open);
    });
  });
})();
