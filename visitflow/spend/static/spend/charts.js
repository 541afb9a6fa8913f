// Spend report charts: planned, standard and actual per group, drawn from the
// json_script data the page carries (the table beside each chart holds the same numbers).
(function () {
  "use strict";
  if (typeof echarts === "undefined") return;
  var names = JSON.parse(document.getElementById("spend-series-names").textContent);
  var colors = { planned: "#0d6efd", standard: "#adb5bd", actual: "#198754" };
  document.querySelectorAll("[data-spend-chart]").forEach(function (el) {
    var data = JSON.parse(document.getElementById(el.dataset.spendChart).textContent);
    if (!data.labels.length) return;
    var chart = echarts.init(el, null, { renderer: "svg" });
    var series = ["planned", "standard", "actual"].map(function (key) {
      return {
        name: names[key],
        type: el.dataset.kind === "line" ? "line" : "bar",
        data: data[key].map(Number),
        itemStyle: { color: colors[key] },
      };
    });
    chart.setOption({
      animation: false,
      tooltip: { trigger: "axis", valueFormatter: function (v) { return "¥" + Number(v).toLocaleString(undefined, { minimumFractionDigits: 2, maximumFractionDigits: 2 }); } },
      legend: { top: 0 },
      grid: { left: 8, right: 8, bottom: 8, top: 32, containLabel: true },
      xAxis: { type: "category", data: data.labels, axisLabel: { interval: 0, hideOverlap: true } },
      yAxis: { type: "value" },
      series: series,
    });
    window.addEventListener("resize", function () { chart.resize(); });
  });
})();
