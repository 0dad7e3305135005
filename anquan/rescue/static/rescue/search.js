/* The search page's map: a plain latitude/longitude scatter (no online tiles) of the chosen point, its circle's
   extent and the teams and depots found; a click on the map fills the point and searches. */
(function () {
  "use strict";
  function init() {
    var el = document.getElementById("rescue-map");
    var raw = document.getElementById("rescue-map-data");
    if (!el || !window.echarts || !raw) return;
    var data = JSON.parse(raw.textContent);
    var chart = window.echarts.init(el);
    var c = data.centre || { lat: 29.7, lng: 116.0, km: 20 };
    var dlat = c.km / 111.195 * 1.2, dlng = dlat / Math.cos(c.lat * Math.PI / 180);
    var pts = function (kind) {
      return data.points.filter(function (p) { return p.kind === kind; })
        .map(function (p) { return { name: p.name, value: [p.lng, p.lat, p.km] }; });
    };
    chart.setOption({
      animation: false,
      tooltip: { formatter: function (p) { return p.name + (p.value[2] !== undefined ? " · " + p.value[2] + " " + el.dataset.km : ""); } },
      legend: { top: 0 },
      grid: { left: 50, right: 20, top: 30, bottom: 30 },
      xAxis: { type: "value", min: +(c.lng - dlng).toFixed(3), max: +(c.lng + dlng).toFixed(3), scale: true },
      yAxis: { type: "value", min: +(c.lat - dlat).toFixed(3), max: +(c.lat + dlat).toFixed(3), scale: true },
      series: [
        { name: el.dataset.centre, type: "scatter", symbol: "pin", symbolSize: 28, data: data.centre ? [{ name: el.dataset.centre, value: [c.lng, c.lat] }] : [] },
        { name: el.dataset.depot, type: "scatter", symbolSize: 12, data: pts("depot") },
        { name: el.dataset.team, type: "scatter", symbol: "triangle", symbolSize: 12, data: pts("team") }
      ]
    });
    el.dataset.points = String(data.points.length);
    chart.getZr().on("click", function (e) {
      var at = chart.convertFromPixel({ gridIndex: 0 }, [e.offsetX, e.offsetY]);
      if (!at) return;
      var near = document.getElementById("s-near");
      near.value = at[1].toFixed(5) + "," + at[0].toFixed(5);
      document.getElementById("s-enterprise").value = "";
      near.form.submit();
    });
    var pick = document.getElementById("s-enterprise");
    pick.addEventListener("change", function () {
      var o = pick.options[pick.selectedIndex];
      if (o && o.dataset.lat) document.getElementById("s-near").value = o.dataset.lat + "," + o.dataset.lng;
    });
    window.addEventListener("resize", function () { chart.resize(); });
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init); else init();
})();
