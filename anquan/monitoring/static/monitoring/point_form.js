// The point form: choosing a kind pre-fills the unit and the alarm thresholds of that kind (GB/T 50493-2019 5.5.2
// for the gases, from the rule data the page was rendered with) where the user has not typed them; the OEL field
// shows for toxic gas only, whose thresholds are 100 % and 200 % of it.
(function () {
  "use strict";
  var data = document.getElementById("aq-setpoint-defaults");
  var kind = document.querySelector("[data-aq-setpoint-kind]");
  if (!data || !kind) return;
  var table = JSON.parse(data.textContent);
  var form = kind.form;
  var oelBox = document.querySelector("[data-aq-oel]");
  var oel = form.elements.namedItem("oel");
  var names = ["low_low", "low", "high", "high_high"];
  var filled = {}; // what this script wrote, so a later kind may replace it but never what the user typed

  function put(input, value) {
    if (!input) return;
    if (input.value === "" || filled[input.name] === input.value) {
      input.value = value === undefined || value === null ? "" : String(value);
      filled[input.name] = input.value;
    }
  }

  function apply() {
    var d = table[kind.value];
    if (oelBox) oelBox.hidden = !(d && d.oel);
    if (!d) return;
    put(form.elements.namedItem("unit"), d.unit);
    var base = oel && d.oel ? parseFloat(oel.value) : NaN;
    names.forEach(function (n) {
      var v = d[n];
      if (d.oel) v = isFinite(base) && base > 0 ? (n === "high" ? base * d.pct_high / 100 : n === "high_high" ? base * d.pct_high_high / 100 : undefined) : undefined;
      put(form.elements.namedItem(n), v);
    });
  }

  kind.addEventListener("change", apply);
  if (oel) oel.addEventListener("input", apply);
  if (oelBox) oelBox.hidden = !(table[kind.value] && table[kind.value].oel);
  // a kind chosen before this (deferred) script ran, on a form still blank: fill it now as the change would have
  var blank = names.concat(["unit"]).every(function (n) {
    var input = form.elements.namedItem(n);
    return !input || input.value === "";
  });
  if (kind.value && blank) apply();
})();
