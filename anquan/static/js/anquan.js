// Small behaviours of the UI shell (no framework JavaScript needed).
document.addEventListener("click", function (event) {
  const toggle = event.target.closest("[data-aq-toggle]");
  if (toggle) {
    const target = document.getElementById(toggle.dataset.aqToggle);
    target.classList.toggle("show");
    // a folded search box opened on a phone: the cursor goes into it
    const field = target.classList.contains("show") && target.querySelector("input[type=search]");
    if (field) field.focus();
  }
  const dismiss = event.target.closest("[data-aq-dismiss]");
  if (dismiss) {
    dismiss.parentElement.remove();
  }
});

// "Use my location": fills a form's hidden latitude/longitude fields (hazard report, patrols, checks), or its
// "near" field as "latitude,longitude" (the nearby rescue forces search).
document.addEventListener("click", function (event) {
  const button = event.target.closest("[data-aq-locate]");
  if (!button || !navigator.geolocation) return;
  const form = button.closest("form");
  const out = form.querySelector("[data-aq-location]");
  navigator.geolocation.getCurrentPosition(function (pos) {
    const lat = pos.coords.latitude.toFixed(6), lng = pos.coords.longitude.toFixed(6);
    if (form.elements.near) {
      form.elements.near.value = lat + "," + lng;
    } else {
      form.elements.latitude.value = lat;
      form.elements.longitude.value = lng;
    }
    if (out) out.textContent = lat + ", " + lng;
  }, function () { if (out) out.textContent = "×"; });
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

// A form with a client key (form_key) keeps its key when the user goes Back and sends it again, so the
// server recognises the resend and records it once (DESIGN rule 6).
// A field form (data-aq-offline) is posted by field.js, which keeps the key from the page's load on.
document.addEventListener("submit", function (event) {
  const key = event.target.elements && event.target.elements.form_key;
  if (key && !event.defaultPrevented) history.replaceState(Object.assign({}, history.state, {aqFormKey: key.value}), "");
});
function restoreFormKey() {
  const key = document.querySelector("input[name=form_key]");
  if (!key) return;
  if (history.state && history.state.aqFormKey) key.value = history.state.aqFormKey;
  else if (key.form && key.form.hasAttribute("data-aq-offline")) history.replaceState(Object.assign({}, history.state, {aqFormKey: key.value}), "");
}
document.addEventListener("DOMContentLoaded", restoreFormKey);
window.addEventListener("pageshow", restoreFormKey);

// Show which files were chosen next to a styled file button (the browser's own text may not be Chinese).
document.addEventListener("change", function (event) {
  const input = event.target.closest("[data-aq-files]");
  if (!input) return;
  const shown = input.parentElement.querySelector("[data-aq-files-shown]");
  if (shown) shown.textContent = Array.from(input.files).map(f => f.name).join("、");
});

// A select that shows only the fields meant for its value: <select data-aq-switch> and, in the same form,
// elements with data-aq-for="value" (the month field for a monthly period, the quarter for a quarterly one).
function syncSwitch(select) {
  select.form.querySelectorAll("[data-aq-for]").forEach(function (el) {
    el.hidden = el.dataset.aqFor !== select.value;
  });
}
document.addEventListener("change", function (event) {
  const select = event.target.closest("[data-aq-switch]");
  if (select) syncSwitch(select);
});
document.addEventListener("DOMContentLoaded", function () {
  document.querySelectorAll("[data-aq-switch]").forEach(syncSwitch);
});

// Print buttons (data-aq-print):
// behaviour lives here, never in onclick=/onsubmit= attributes, which the Content-Security-Policy refuses.
document.addEventListener("click", function (event) {
  if (event.target.closest("[data-aq-print]")) window.print();
});
// (data-aq-confirm itself is handled by field.js: an in-page dialog, with a reason where the step needs one)
