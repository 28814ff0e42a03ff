// A "Print" button for pages meant to be printed (the hand-off card). Hidden until script runs,
// so a browser without script shows no button that does nothing.
(function () {
  "use strict";
  var button = document.getElementById("print-card");
  if (!button) { return; }
  button.hidden = false;
  button.addEventListener("click", function () { window.print(); });
})();
