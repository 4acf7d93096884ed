// The trend chart of the supervision page: cases closed and ratings given
// per month as bars, 按时办结率, 好评率 and 整改按时率 as lines, drawn with
// the vendored ECharts (static/echarts.min.js) from the figures the page's
// table shows. Without script the table stands alone.
(function () {
  const el = document.getElementById("supervision-chart");
  if (!el || !window.echarts) return;
  const trend = JSON.parse(el.dataset.trend);
  const d = el.dataset;
  const pct = (v) => (v === null ? null : Math.round(v * 1000) / 10);
  const line = (name, key) => ({ name, type: "line", yAxisIndex: 1, connectNulls: false, data: trend.map((m) => pct(m[key])) });
  const chart = window.echarts.init(el);
  chart.setOption({
    animation: false,
    tooltip: { trigger: "axis" },
    legend: { data: [d.labelClosed, d.labelRated, d.labelOntime, d.labelGood, d.labelRectify] },
    xAxis: { type: "category", data: trend.map((m) => m.month) },
    yAxis: [
      { type: "value", minInterval: 1 },
      { type: "value", min: 0, max: 100, axisLabel: { formatter: "{value}%" } },
    ],
    series: [
      { name: d.labelClosed, type: "bar", data: trend.map((m) => m.closed) },
      { name: d.labelRated, type: "bar", data: trend.map((m) => m.rated) },
      line(d.labelOntime, "on_time_rate"),
      line(d.labelGood, "good_rate"),
      line(d.labelRectify, "rectify_on_time_rate"),
    ],
  });
  el.dataset.drawn = "true";
  window.addEventListener("resize", () => chart.resize());
})();
