// Charts of the statistics pages (hazard statistics, accident dashboard, risk report coverage) and desk homes.
// A chart box names its kind (data-aq-chart) and the json_script element holding its rows (data-aq-data);
// translated series names come as data-* attributes. No page carries inline script (CSP script-src 'self').
(function () {
  "use strict";

  function axis(rows, key, turnAfter) {
    return {type: "category", data: rows.map(function (r) { return r[key]; }),
            axisLabel: {interval: 0, rotate: rows.length > turnAfter ? 30 : 0}};
  }

  function column(rows, key) {
    return rows.map(function (r) { return r[key]; });
  }

  const kinds = {
    "hazard-stats": function (box, rows) {
      const d = box.dataset;
      return {
        tooltip: {trigger: "axis"}, legend: {},
        xAxis: axis(rows, "label", 8),
        yAxis: {type: "value", minInterval: 1},
        series: [
          {name: d.found, type: "bar", data: column(rows, "found")},
          {name: d.closed, type: "bar", data: column(rows, "closed")},
          {name: d.open, type: "bar", data: column(rows, "open")},
        ],
      };
    },
    "accident-dashboard": function (box, rows) {
      const d = box.dataset;
      return {
        color: ["#5470c6", "#91cc75", "#ee6666", "#fac858"],
        tooltip: {trigger: "axis"}, legend: {},
        grid: {left: 40, right: 20, bottom: rows.length > 8 ? 60 : 30},
        xAxis: axis(rows, "label", 8),
        yAxis: {type: "value", minInterval: 1},
        series: [
          {name: d.accidents + " " + d.year, type: "bar", data: column(rows, "count")},
          {name: d.accidents + " " + d.lastYear, type: "bar", data: column(rows, "count_last_year")},
          {name: d.deaths + " " + d.year, type: "bar", data: column(rows, "deaths")},
          {name: d.deaths + " " + d.lastYear, type: "bar", data: column(rows, "deaths_last_year")},
        ],
      };
    },
    "report-coverage": function (box, rows) {
      return {
        tooltip: {trigger: "axis"},
        grid: {left: 40, right: 16, top: 24, bottom: 60},
        xAxis: axis(rows, "name", 6),
        yAxis: {type: "value", max: 100, axisLabel: {formatter: "{value}%"}},
        series: [{
          name: box.dataset.coverage, type: "bar",
          data: rows.map(function (r) { return r.coverage === null ? 0 : r.coverage; }),
          itemStyle: {color: function (p) { return p.value >= 100 ? "#198754" : (p.value >= 60 ? "#0d6efd" : "#dc3545"); }},
        }],
      };
    },
    // a desk home: hazards found and closed by month
    "hazard-trend": function (box, rows) {
      const d = box.dataset;
      return {
        color: ["#ee6666", "#5470c6"],
        tooltip: {trigger: "axis"}, legend: {},
        grid: {left: 40, right: 16, top: 36, bottom: 40},
        xAxis: axis(rows, "label", 12),
        yAxis: {type: "value", minInterval: 1},
        series: [
          {name: d.found, type: "bar", data: column(rows, "found")},
          {name: d.closed, type: "line", data: column(rows, "closed")},
        ],
      };
    },
    // a desk home: rectification rate (%) and overdue hazards by township or department, one row each (long
    // names stay readable on a phone); an area without hazards this year has no rate ("-"), not 0 %
    "area-rates": function (box, rows) {
      const d = box.dataset;
      box.style.height = Math.max(200, rows.length * 34 + 70) + "px";
      const names = rows.map(function (r) { return r.name; }).reverse();
      return {
        color: ["#198754", "#dc3545"],
        tooltip: {trigger: "axis", axisPointer: {type: "shadow"}}, legend: {},
        grid: {left: 8, right: 24, top: 56, bottom: 28, containLabel: true},
        yAxis: {type: "category", data: names, axisLabel: {interval: 0}},
        xAxis: [
          {type: "value", max: 100, position: "bottom", axisLabel: {formatter: "{value}%"}},
          {type: "value", minInterval: 1, position: "top", splitLine: {show: false}},
        ],
        series: [
          {name: d.rate, type: "bar", xAxisIndex: 0,
           data: rows.map(function (r) { return r.rate === null ? "-" : r.rate; }).reverse()},
          {name: d.overdue, type: "bar", xAxisIndex: 1, data: column(rows, "overdue").reverse()},
        ],
      };
    },
  };

  document.addEventListener("DOMContentLoaded", function () {
    if (typeof echarts === "undefined") return;
    document.querySelectorAll("[data-aq-chart]").forEach(function (box) {
      const rows = JSON.parse(document.getElementById(box.dataset.aqData).textContent);
      const option = kinds[box.dataset.aqChart](box, rows);
      option.animation = false;
      const chart = echarts.init(box);
      chart.setOption(option);
      window.addEventListener("resize", function () { chart.resize(); });
    });
  });
})();
