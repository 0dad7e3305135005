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

// "Use my location" on the hazard report form: fills the hidden latitude/longitude fields.
document.addEventListener("click", function (event) {
  const button = event.target.closest("[data-aq-locate]");
  if (!button || !navigator.geolocation) return;
  const form = button.closest("form");
  const out = form.querySelector("[data-aq-location]");
  navigator.geolocation.getCurrentPosition(function (pos) {
    form.elements.latitude.value = pos.coords.latitude.toFixed(6);
    form.elements.longitude.value = pos.coords.longitude.toFixed(6);
    out.textContent = form.elements.latitude.value + ", " + form.elements.longitude.value;
  }, function () { out.textContent = "×"; });
});

// Picking from a suggestion list (e.g. the enterprise search on the hazard form) fills a hidden field.
document.addEventListener("click", function (event) {
  const item = event.target.closest("[data-aq-fill]");
  if (!item) return;
  const form = item.closest("form");
  form.elements[item.dataset.aqFill].value = item.dataset.value;
  const shown = form.querySelector('[data-aq-chosen="' + item.dataset.aqFill + '"]');
  if (shown) shown.textContent = item.dataset.label + " " + item.dataset.value;
  item.parentElement.innerHTML = "";
});
