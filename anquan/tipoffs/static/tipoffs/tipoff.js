// The public tip-off form (no inline script: CSP). Choosing the county lists its townships (a GET of the same page,
// which also works without script through its button); "use my location" fills the map point from the phone.
(function () {
  "use strict";
  document.querySelectorAll("select[data-autosubmit]").forEach(function (select) {
    select.addEventListener("change", function () { select.form.submit(); });
  });
  var locate = document.querySelector("[data-locate]");
  if (locate && navigator.geolocation) {
    locate.addEventListener("click", function () {
      navigator.geolocation.getCurrentPosition(function (p) {
        document.getElementById("f-latitude").value = p.coords.latitude.toFixed(6);
        document.getElementById("f-longitude").value = p.coords.longitude.toFixed(6);
      });
    });
  } else if (locate) {
    locate.hidden = true;
  }
})();
