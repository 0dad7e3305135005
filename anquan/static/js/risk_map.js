// Regional four-colour map: draws the data of #map-data (anquan.risk.maps.compute) on the boundary
// shapes registered by the vendored map file; clicking a region opens its own map (?region=CODE).
(function () {
  "use strict";

  function start() {
    const box = document.getElementById("risk-map");
    const source = document.getElementById("map-data");
    if (!box || !source || typeof echarts === "undefined") return;
    const data = JSON.parse(source.textContent);
    const shown = data.map || data.parent_map;
    const registered = shown && echarts.getMap(shown.name);
    if (!registered) {
      box.textContent = box.dataset.missing || "";
      return;
    }
    const colors = {};
    const labels = {};
    data.legend.forEach(function (item) {
      colors[item.level] = item.color;
      labels[item.level] = item.label;
    });
    // feature id → the entry it stands for (its own code or an older id of it)
    const byShape = {};
    const entries = data.map ? data.children : [data.total];
    entries.forEach(function (entry) {
      entry.shape_ids.forEach(function (id) {
        byShape[id] = entry;
      });
    });
    const geo = registered.geoJSON || registered.geoJson;
    let mapName = shown.name;
    let features = geo.features;
    if (!data.map) {
      // a county: no township shapes, so draw its own outline alone, cut from its city's map
      const own = new Set(data.region.shape_ids);
      features = geo.features.filter(function (f) {
        return own.has(String(f.id));
      });
      mapName = shown.name + "·" + data.region.code;
      echarts.registerMap(mapName, Object.assign({}, geo, { features: features }));
    }
    const items = features.map(function (feature) {
      const name = feature.properties.name;
      const entry = byShape[String(feature.id)];
      if (!entry) {
        return { name: name, itemStyle: { areaColor: "#f8f9fa" }, emphasis: { disabled: true } };
      }
      return {
        name: name,
        value: entry.total,
        entry: entry,
        itemStyle: { areaColor: colors[entry.level] },
      };
    });
    const chart = echarts.init(box, null, { renderer: "svg" }); // crisp when printed; regions are DOM paths
    chart.setOption({
      tooltip: {
        trigger: "item",
        formatter: function (params) {
          const entry = params.data && params.data.entry;
          if (!entry) return params.name;
          const c = entry.counts;
          return (
            "<b>" + entry.name + "</b>：" + labels[entry.level] + "<br>" +
            labels.red + " " + c.red + " · " + labels.orange + " " + c.orange + "<br>" +
            labels.yellow + " " + c.yellow + " · " + labels.blue + " " + c.blue + "<br>" +
            box.dataset.unassessed + " " + c.unassessed + " · " + box.dataset.total + " " + entry.total
          );
        },
      },
      series: [
        {
          type: "map",
          map: mapName,
          roam: true,
          selectedMode: false,
          label: {
            show: true,
            fontSize: 11,
            color: "#212529",
            // today's name (a shape may carry an older one, e.g. 九江县 for 柴桑区)
            formatter: function (params) {
              return params.data && params.data.entry ? params.data.entry.name : params.name;
            },
          },
          itemStyle: { borderColor: "#fff", borderWidth: 1 },
          emphasis: { label: { show: true }, itemStyle: { areaColor: "#6c757d" } },
          data: items,
        },
      ],
    });
    chart.on("click", function (params) {
      const entry = params.data && params.data.entry;
      if (entry && entry.has_children && entry.code !== data.region.code) {
        window.location.search = "?region=" + encodeURIComponent(entry.code);
      }
    });
    box.dataset.ready = "1";
    window.addEventListener("resize", function () {
      chart.resize();
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
