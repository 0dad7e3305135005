// An inspection's checklist on a phone (issue #13): the progress "已查 N/M" and each card follow what was
// recorded, also while offline (field.js keeps the form and tells the page with an "aq:queued" event), and the
// signature pad: drawn with a finger on a canvas, sent as a PNG with the completion form.
(function () {
  "use strict";
  const T = {
    compliant: "符合", noncompliant: "不符合", not_applicable: "不适用", pending: "（已保存在本机，联网后发送）",
    checked: (n, m) => "已查 " + n + "/" + m,
  };

  function progress() {
    const box = document.querySelector("[data-aq-progress]");
    if (!box) return;
    const total = Number(box.dataset.total);
    const checked = document.querySelectorAll("[data-item][data-result]").length;
    box.querySelector("[data-aq-progress-text]").textContent = T.checked(checked, total);
    box.querySelector("[data-aq-progress-bar]").style.width = (total ? Math.round(100 * checked / total) : 0) + "%";
  }

  function mark(card, result, note) {
    if (!card) return;
    card.dataset.result = result;
    card.classList.add("aq-checked");
    const state = card.querySelector("[data-aq-item-state]");
    state.replaceChildren();
    const label = document.createElement("strong");
    label.className = result === "noncompliant" ? "text-danger" : "text-success";
    label.textContent = T[result] || result;
    state.append(label, (note ? " · " + note : "") + " " + T.pending);
    const choices = card.querySelector(".aq-check-choices");
    if (choices) choices.remove();
  }

  document.addEventListener("aq:queued", function (event) {
    const form = event.target;
    const values = {};
    const items = [];
    event.detail.fields.forEach(function (f) {
      if (f[0] === "item") items.push(f[1]); else values[f[0]] = f[1];
    });
    if (form.closest("[data-item]")) {
      mark(form.closest("[data-item]"), values.result, values.note);
    } else if (items.length) {  // 全部符合: what is still unchecked on this page
      items.forEach(function (id) {
        const card = document.querySelector('[data-item="' + id + '"]');
        if (card && !card.dataset.result) mark(card, "compliant", "");
      });
      form.remove();
    } else if (values.action === "complete") {
      form.querySelectorAll("button").forEach((b) => { b.disabled = true; });
    }
    progress();
  });

  // --- the signature pad ---------------------------------------------------------------------------------
  function pad(canvas) {
    const field = canvas.closest("form").elements.signature_data;
    const ctx = canvas.getContext("2d");
    ctx.lineWidth = 2.5;
    ctx.lineCap = "round";
    ctx.strokeStyle = "#111";
    let drawing = false;
    let drawn = false;
    function at(event) {
      const box = canvas.getBoundingClientRect();
      return [(event.clientX - box.left) * canvas.width / box.width, (event.clientY - box.top) * canvas.height / box.height];
    }
    canvas.addEventListener("pointerdown", function (event) {
      drawing = true;
      canvas.setPointerCapture(event.pointerId);
      const [x, y] = at(event);
      ctx.beginPath();
      ctx.moveTo(x, y);
      event.preventDefault();
    });
    canvas.addEventListener("pointermove", function (event) {
      if (!drawing) return;
      const [x, y] = at(event);
      ctx.lineTo(x, y);
      ctx.stroke();
      drawn = true;
      event.preventDefault();
    });
    function end() {
      if (!drawing) return;
      drawing = false;
      if (drawn) field.value = canvas.toDataURL("image/png");
    }
    canvas.addEventListener("pointerup", end);
    canvas.addEventListener("pointercancel", end);
    const clear = canvas.closest("form").querySelector("[data-aq-signature-clear]");
    if (clear) clear.addEventListener("click", function () {
      ctx.clearRect(0, 0, canvas.width, canvas.height);
      field.value = "";
      drawn = false;
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("canvas[data-aq-signature]").forEach(pad);
  });
})();
