// The to-do centre's batch forms: a checkbox [data-aq-check-all="NAME"] ticks or clears every checkbox NAME
// of its form.
document.addEventListener("change", (event) => {
  const all = event.target.closest("[data-aq-check-all]");
  if (!all) return;
  const name = all.getAttribute("data-aq-check-all");
  for (const box of all.form.querySelectorAll(`input[type=checkbox][name="${name}"]`)) {
    box.checked = all.checked;
  }
});
