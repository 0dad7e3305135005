// A background job's progress on the page that started it: every [data-aq-job] element polls its JSON status
// (anquan/jobs/views.py `status`) once a second while the job waits or runs, moves its bar, and at the end
// shows the download link or the error. No inline script (Content-Security-Policy).
(function () {
  "use strict";
  const ACTIVE = ["queued", "running"];

  function show(el, visible) {
    if (el) el.hidden = !visible;
  }

  function update(box, job) {
    box.dataset.status = job.status;
    const stage = box.querySelector("[data-aq-job-stage]");
    if (stage) stage.textContent = job.status_name;
    const percent = box.querySelector("[data-aq-job-percent]");
    if (percent) percent.textContent = job.percent + "%";
    const bar = box.querySelector("[data-aq-job-bar]");
    if (bar) bar.value = job.percent;
    const active = ACTIVE.indexOf(job.status) >= 0;
    show(bar, active);
    show(box.querySelector("[data-aq-job-running]"), active);
    const error = box.querySelector("[data-aq-job-error]");
    if (error && job.status === "failed") error.textContent = job.error;
    show(error, job.status === "failed");
    const link = box.querySelector("[data-aq-job-download]");
    if (link && job.result_url) {
      link.href = job.result_url;
      const name = link.querySelector("[data-aq-job-name]");
      if (name) name.textContent = " " + job.result_name;
    }
    show(link, Boolean(job.result_url));
    return active;
  }

  function poll(box) {
    fetch(box.dataset.aqJob, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) {
        if (!response.ok) throw new Error(String(response.status));
        return response.json();
      })
      .then(function (job) {
        if (update(box, job)) setTimeout(function () { poll(box); }, 1000);
      })
      .catch(function () {
        setTimeout(function () { poll(box); }, 3000); // the server restarting: try again
      });
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[data-aq-job]").forEach(function (box) {
      if (ACTIVE.indexOf(box.dataset.status) >= 0) poll(box);
    });
  });
})();
