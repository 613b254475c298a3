// The one script of the console (CSP allows no inline script): a "select all" box for bulk actions.
// Without JavaScript every row still has its own checkbox.
document.addEventListener("DOMContentLoaded", function () {
  var all = document.getElementById("select-all");
  if (!all) return;
  all.hidden = false;
  var boxes = document.querySelectorAll('input[name="reference"]');
  all.addEventListener("change", function () {
    boxes.forEach(function (box) { box.checked = all.checked; });
  });
});
