// The trend chart of the public 好差评成绩单: ratings given and 好评率 per
// month, drawn with the vendored ECharts (static/echarts.min.js) from the
// figures the page's table shows. Without script the table stands alone.
(function () {
  const el = document.getElementById("ratings-chart");
  if (!el || !window.echarts) return;
  const trend = JSON.parse(el.dataset.trend);
  const chart = window.echarts.init(el);
  chart.setOption({
    animation: false,
    tooltip: { trigger: "axis" },
    legend: { data: [el.dataset.labelRated, el.dataset.labelGood] },
    xAxis: { type: "category", data: trend.map((m) => m.month) },
    yAxis: [
      { type: "value", minInterval: 1 },
      { type: "value", min: 0, max: 100, axisLabel: { formatter: "{value}%" } },
    ],
    series: [
      { name: el.dataset.labelRated, type: "bar", data: trend.map((m) => m.rated) },
      {
        name: el.dataset.labelGood, type: "line", yAxisIndex: 1, connectNulls: false,
        data: trend.map((m) => (m.good_rate === null ? null : Math.round(m.good_rate * 1000) / 10)),
      },
    ],
  });
  el.dataset.drawn = "true";
  window.addEventListener("resize", () => chart.resize());
})();
