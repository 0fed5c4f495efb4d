// 看板: the server pushes "changed" (Server-Sent Events) when the read models
// move; the board then fetches its live part again and redraws the charts.
(function () {
  "use strict";
  const live = document.getElementById("live");
  const state = document.getElementById("live-state");
  const clock = document.getElementById("clock");
  const charts = {};
  let loading = false, again = false;

  function tick() { clock.textContent = new Date().toLocaleTimeString(document.documentElement.lang); }
  setInterval(tick, 1000); tick();

  function draw() {
    if (!window.Chart) return;
    const grid = live.querySelector(".board-grid");
    if (!grid) return;
    const data = JSON.parse(grid.dataset.charts);
    Chart.defaults.color = "#c6d3e6";
    Chart.defaults.borderColor = "#2b3547";
    const specs = {
      "chart-oee": { type: "bar", data: { labels: data.oee.labels, datasets: [{ label: data.oee.label, data: data.oee.values, backgroundColor: "#4f8fe6" }] },
                     options: { animation: false, maintainAspectRatio: false, scales: { y: { min: 0, max: 100 } } } },
      "chart-output": { type: "bar", data: { labels: data.output.labels, datasets: [
                          { label: data.output.goodLabel, data: data.output.good, backgroundColor: "#4fc585" },
                          { label: data.output.scrapLabel, data: data.output.scrap, backgroundColor: "#ff5b4a" }] },
                        options: { animation: false, maintainAspectRatio: false, scales: { x: { stacked: true }, y: { stacked: true, beginAtZero: true } } } },
    };
    Object.keys(specs).forEach(function (id) {
      const canvas = document.getElementById(id);
      if (!canvas) return;
      if (charts[id]) charts[id].destroy();
      charts[id] = new Chart(canvas, specs[id]);
    });
  }
  async function refresh() {
    if (loading) { again = true; return; }
    loading = true;
    try {
      const answer = await fetch("/board/live", { credentials: "same-origin" });
      if (answer.ok) { live.innerHTML = await answer.text(); draw(); }
    } catch (e) { /* the stream reconnects by itself */ }
    loading = false;
    if (again) { again = false; refresh(); }
  }
  function connect() {
    const source = new EventSource("/board/events");
    source.addEventListener("hello", function () { state.textContent = state.dataset.on; state.className = "pill ok"; });
    source.addEventListener("changed", refresh);
    source.addEventListener("signed-out", function () { source.close(); location.href = "/login?next=/board"; });
    source.onerror = function () { state.textContent = state.dataset.off; state.className = "pill bad"; };
    source.onopen = function () { state.textContent = state.dataset.on; state.className = "pill ok"; refresh(); };
  }
  window.addEventListener("load", function () { draw(); connect(); });
})();
