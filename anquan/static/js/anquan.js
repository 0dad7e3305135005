// Small behaviours of the UI shell (no framework JavaScript needed).
document.addEventListener("click", function (event) {
  const toggle = event.target.closest("[data-aq-toggle]");
  if (toggle) {
    document.getElementById(toggle.dataset.aqToggle).classList.toggle("show");
  }
  const dismiss = event.target.closest("[data-aq-dismiss]");
  if (dismiss) {
    dismiss.parentElement.remove();
  }
});
