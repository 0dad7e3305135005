// Site risk four-colour plan (risk/site_plan.html): place, move and remove risk point markers on the plan
// image. Positions are fractions (0–1) of the image; every change PUTs the whole set to the API and the
// page redraws from the answer (so colours and counts are the server's).
(function () {
  "use strict";
  const root = document.querySelector("[data-aq-plan]");
  if (!root) return;
  const plan = root.querySelector(".aq-plan");
  const image = plan.querySelector("img");
  const layer = root.querySelector("[data-aq-plan-markers]");
  const status = root.querySelector("[data-aq-plan-status]");
  const csrf = document.querySelector("meta[name=csrf-token]").content;
  const points = new Map(JSON.parse(document.getElementById("plan-points").textContent).map((p) => [p.id, p]));
  let saved = JSON.parse(document.getElementById("plan-data").textContent).placements;
  let placements = new Map(saved.map((p) => [p.point, { x: p.x, y: p.y }]));
  let selected = null;
  let drag = null;

  function say(text, kind) {
    status.textContent = text;
    status.className = status.className.replace(/alert-\w+/, "alert-" + (kind || "info"));
  }

  function marker(id, pos) {
    const point = points.get(id);
    const a = document.createElement("a");
    a.className = "aq-marker" + (id === selected ? " selected" : "");
    a.href = point.url;
    a.title = point.name;
    a.dataset.point = id;
    a.dataset.level = point.level || "none";
    a.setAttribute("data-testid", "marker-" + id);
    place(a, pos);
    const dot = document.createElement("span");
    dot.className = "aq-marker-dot";
    const label = document.createElement("span");
    label.className = "aq-marker-label";
    label.textContent = point.name;
    a.append(dot, label);
    return a;
  }

  function place(el, pos) {
    el.style.left = pos.x * 100 + "%";
    el.style.top = pos.y * 100 + "%";
  }

  function highlight() {
    layer.querySelectorAll(".aq-marker").forEach((el) => el.classList.toggle("selected", Number(el.dataset.point) === selected));
    root.querySelectorAll("[data-aq-plan-point]").forEach((row) => {
      const id = Number(row.dataset.aqPlanPoint);
      row.classList.toggle("placed", placements.has(id));
      row.classList.toggle("active", id === selected);
    });
  }

  function draw() {
    layer.replaceChildren(...Array.from(placements, ([id, pos]) => marker(id, pos)));
    highlight();
  }

  function fraction(event) {
    const box = image.getBoundingClientRect();
    const clamp = (v) => Math.min(1, Math.max(0, Math.round(v * 10000) / 10000));
    return { x: clamp((event.clientX - box.left) / box.width), y: clamp((event.clientY - box.top) / box.height) };
  }

  async function save() {
    say(root.dataset.msgSaving);
    const body = { placements: Array.from(placements, ([point, pos]) => ({ point, x: pos.x, y: pos.y })) };
    let answer;
    try {
      const response = await fetch(root.dataset.api, {
        method: "PUT",
        headers: { "Content-Type": "application/json", "X-CSRFToken": csrf },
        body: JSON.stringify(body),
        credentials: "same-origin",
      });
      answer = await response.json();
      if (!response.ok) throw new Error(Array.isArray(answer.detail) ? answer.detail.map((d) => d.message).join("；") : answer.detail);
    } catch (error) {
      placements = new Map(saved.map((p) => [p.point, { x: p.x, y: p.y }]));
      draw();
      say(root.dataset.msgFailed + " " + error.message, "danger");
      return;
    }
    saved = answer.placements;
    placements = new Map(saved.map((p) => [p.point, { x: p.x, y: p.y }]));
    saved.forEach((p) => { points.get(p.point).level = p.level; });
    Object.entries(answer.counts).forEach(([level, n]) => {
      const shown = root.querySelector('[data-aq-count="' + level + '"]');
      if (shown) shown.textContent = n;
    });
    root.querySelector("[data-aq-unplaced]").textContent = points.size - placements.size;
    draw();
    say(root.dataset.msgSaved, "success");
  }

  function choose(id) {
    selected = id;
    highlight();
    if (id !== null) say(root.dataset.msgPlace + " " + points.get(id).name);
  }

  root.addEventListener("click", (event) => {
    if (event.target.closest("[data-aq-plan-edit]")) {
      root.classList.toggle("editing");
      choose(null);
      say(root.dataset.msgPick);
      return;
    }
    if (!root.classList.contains("editing")) return;
    const pick = event.target.closest("[data-aq-plan-select]");
    if (pick) {
      choose(Number(pick.dataset.aqPlanSelect));
      plan.scrollIntoView({ block: "nearest", behavior: "smooth" });
      return;
    }
    const remove = event.target.closest("[data-aq-plan-remove]");
    if (remove) {
      placements.delete(Number(remove.dataset.aqPlanRemove));
      selected = null;
      return save();
    }
    if (event.target.closest(".aq-marker")) {
      event.preventDefault(); // while editing a marker is moved, not opened
      return;
    }
    if (plan.contains(event.target) && selected !== null) {
      placements.set(selected, fraction(event));
      selected = null;
      save();
    }
  });

  // dragging a marker (mouse, pen or finger); a tap without movement selects it for moving by a tap
  layer.addEventListener("pointerdown", (event) => {
    const el = event.target.closest(".aq-marker");
    if (!el || !root.classList.contains("editing")) return;
    event.preventDefault();
    el.setPointerCapture(event.pointerId);
    drag = { el, id: Number(el.dataset.point), x: event.clientX, y: event.clientY, moved: false };
  });
  layer.addEventListener("pointermove", (event) => {
    if (!drag) return;
    if (Math.abs(event.clientX - drag.x) + Math.abs(event.clientY - drag.y) > 4) drag.moved = true;
    if (drag.moved) place(drag.el, fraction(event));
  });
  function drop(event) {
    if (!drag) return;
    const { id, moved } = drag;
    drag = null;
    if (moved) {
      placements.set(id, fraction(event));
      selected = null;
      save();
    } else {
      choose(id);
    }
  }
  layer.addEventListener("pointerup", drop);
  layer.addEventListener("pointercancel", () => { drag = null; draw(); });
})();
