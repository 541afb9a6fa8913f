// Dashboard charts (issue 9), drawn from the json_script data the page carries; the
// table beside each chart holds the same numbers and links. A click on a bar or point
// opens the list behind it.
(function () {
  "use strict";
  if (typeof echarts === "undefined") return;

  function axis(spec, index) {
    var options = (spec.axes || [])[index] || {};
    var axis = { type: "value", min: options.min, max: options.max };
    if (spec.percent) { axis.max = 100; options.suffix = "%"; }
    if (options.suffix) axis.axisLabel = { formatter: "{value}" + options.suffix };
    if (!spec.percent && options.max === undefined) axis.minInterval = 1;  // counts
    return axis;
  }

  function draw(el) {
    var spec = JSON.parse(document.getElementById(el.dataset.dashboardChart).textContent);
    if (!spec.categories.length) return;
    var chart = echarts.init(el, null, { renderer: "svg" });
    var series = spec.series.map(function (s) {
      var item = {
        name: s.name,
        type: s.type || (spec.kind === "line" ? "line" : "bar"),
        data: s.data.map(function (value, i) {
          var point = { value: value };
          if (s.colors) point.itemStyle = { color: s.colors[i % s.colors.length] };
          return point;
        }),
        itemStyle: { color: s.color },
        urls: s.urls,
        yAxisIndex: spec.horizontal ? undefined : (s.axis || 0),
        connectNulls: true,
        barMaxWidth: 36,
      };
      if (spec.stacked) item.stack = "all";
      return item;
    });
    var category = { type: "category", data: spec.categories, axisLabel: { hideOverlap: true } };
    var values = spec.axes ? spec.axes.map(function (_a, i) { return axis(spec, i); }) : axis(spec, 0);
    chart.setOption({
      animation: false,
      tooltip: {
        trigger: "axis",
        axisPointer: { type: "shadow" },
        valueFormatter: spec.percent ? function (v) { return v + "%"; } : undefined,
      },
      legend: { top: 0, type: "scroll", show: spec.series.length > 1 },
      grid: { left: 8, right: 16, bottom: 8, top: spec.series.length > 1 ? 32 : 12, containLabel: true },
      xAxis: spec.horizontal ? axis(spec, 0) : category,
      yAxis: spec.horizontal ? Object.assign({ inverse: true }, category) : values,
      series: series,
    });
    chart.on("click", function (params) {
      var url = (series[params.seriesIndex].urls || [])[params.dataIndex];
      if (url) window.location.href = url;
    });
    window.addEventListener("resize", function () { chart.resize(); });
  }

  document.querySelectorAll("[data-dashboard-chart]").forEach(draw);
})();
