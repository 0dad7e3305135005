// The trend chart of a monitoring point (monitoring/trend.html): reads /monitoring/points/<id>/trend/data/?range=…
// and draws the values (raw for the last hour, roll-up average with its minimum and maximum otherwise), the
// thresholds as dashed lines and the alarms as shaded periods with a mark where each was raised.
(function () {
  "use strict";

  const LEVEL_COLOURS = {red: "#dc3545", orange: "#fd7e14", yellow: "#ffc107", blue: "#0d6efd"};

  function option(box, data) {
    const d = box.dataset;
    const raw = data.source === "raw";
    const marks = {
      symbol: "none",
      lineStyle: {type: "dashed", color: "#dc3545"},
      label: {formatter: "{b} {c}"},
      data: data.thresholds.map(function (t) { return {name: t.label, yAxis: t.value}; }),
    };
    const areas = {
      silent: true,
      data: data.alarms.map(function (a) {
        return [{xAxis: a.start, name: a.label, itemStyle: {color: LEVEL_COLOURS[a.level] || "#999", opacity: 0.12}},
                {xAxis: a.end}];
      }),
    };
    const points = {
      symbol: "pin", symbolSize: 36,
      data: data.alarms.filter(function (a) { return a.raised >= data.from; }).map(function (a) {
        return {name: a.label, coord: [a.raised, a.value === null ? 0 : a.value],
                itemStyle: {color: LEVEL_COLOURS[a.level] || "#999"}, value: "!"};
      }),
    };
    const series = [{name: raw ? d.value : d.avg, type: "line", showSymbol: false, connectNulls: false,
                     data: data.avg, markLine: marks, markArea: areas, markPoint: points}];
    if (!raw) {
      series.push({name: d.min, type: "line", showSymbol: false, lineStyle: {width: 1, opacity: 0.5}, data: data.min});
      series.push({name: d.max, type: "line", showSymbol: false, lineStyle: {width: 1, opacity: 0.5}, data: data.max});
    }
    return {
      animation: false,
      title: data.avg.length ? undefined : {text: d.empty, left: "center", top: "middle", textStyle: {fontSize: 14}},
      tooltip: {trigger: "axis"},
      legend: {top: 0},
      grid: {left: 50, right: 60, top: 40, bottom: 60},
      xAxis: {type: "time", min: data.from, max: data.to},
      yAxis: {type: "value", name: data.unit, scale: true},
      dataZoom: [{type: "inside"}, {type: "slider", height: 20, bottom: 10}],
      series: series,
    };
  }

  function start(box) {
    const chart = window.echarts.init(box);
    window.addEventListener("resize", function () { chart.resize(); });
    function load(range) {
      box.dataset.loaded = "";
      fetch(box.dataset.aqTrend + "?range=" + encodeURIComponent(range), {credentials: "same-origin"})
        .then(function (r) { if (!r.ok) { throw new Error(String(r.status)); } return r.json(); })
        .then(function (data) {
          chart.setOption(option(box, data), true);
          box.dataset.loaded = range;
          box.dataset.points = String(data.avg.length);
          box.dataset.alarms = String(data.alarms.length);
        })
        .catch(function () {
          chart.setOption({title: {text: box.dataset.error, left: "center", top: "middle"}}, true);
        });
    }
    document.querySelectorAll("[data-aq-range]").forEach(function (button) {
      button.addEventListener("click", function () {
        document.querySelectorAll("[data-aq-range]").forEach(function (b) { b.classList.remove("active"); });
        button.classList.add("active");
        load(button.dataset.aqRange);
      });
    });
    load("day");
  }

  document.addEventListener("DOMContentLoaded", function () {
    const box = document.querySelector("[data-aq-trend]");
    if (box && window.echarts) { start(box); }
  });
})();
