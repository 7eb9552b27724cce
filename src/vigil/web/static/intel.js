// Intelligence reports: the report form's route legs added and removed as rows, and a route
// drawn as arrows between countries on an inline SVG world map. The map is Natural Earth's
// countries as the world-atlas package ships them (TopoJSON, installed at set-up, read with
// topojson-client): the workspace is offline at run time, so there are no tiles and no CDN.
"use strict";

(function () {
  const rows = document.getElementById("route-rows");
  const add = document.getElementById("route-add");
  const template = document.getElementById("route-row-template");
  if (!rows || !add || !template) return;
  add.hidden = false; // without this script, the form has the rows the server gave it
  add.addEventListener("click", () => {
    const row = template.content.firstElementChild.cloneNode(true);
    const ends = rows.querySelectorAll("input[name=leg_to]");
    const last = ends.length ? ends[ends.length - 1].value.trim() : "";
    const from = row.querySelector("input[name=leg_from]");
    from.value = last; // a leg starts where the last one ended
    rows.append(row);
    (last ? row.querySelector("input[name=leg_to]") : from).focus();
  });
  rows.addEventListener("click", (event) => {
    const remove = event.target.closest("[data-remove-leg]");
    if (remove && rows.children.length > 1) remove.closest("tr").remove();
  });
})();

(function () {
  const svg = document.getElementById("route-map");
  const table = document.getElementById("route-legs");
  if (!svg || !table) return;
  const NS = "http://www.w3.org/2000/svg";
  const [, , WIDTH, HEIGHT] = svg.getAttribute("viewBox").split(" ").map(Number);
  const MARGIN = 40;
  const legs = Array.from(table.querySelectorAll("tbody tr[data-from]")).map((row) => ({
    from: row.dataset.from, to: row.dataset.to, fromId: row.dataset.fromId,
    toId: row.dataset.toId, mode: row.dataset.mode, label: row.dataset.label,
  }));

  function fail(state = "failed") {
    svg.dataset.drawn = state;
    const note = document.getElementById("route-map-unavailable");
    if (note) note.hidden = false;
  }

  function element(name, attributes, parent) {
    const made = document.createElementNS(NS, name);
    for (const [key, value] of Object.entries(attributes)) made.setAttribute(key, String(value));
    parent.append(made);
    return made;
  }

  function polygonsOf(geometry) {
    if (!geometry) return [];
    if (geometry.type === "Polygon") return [geometry.coordinates];
    if (geometry.type === "MultiPolygon") return geometry.coordinates;
    return [];
  }

  // The signed area and centroid of a ring (the shoelace formula, in degrees).
  function ringCentroid(ring) {
    let area = 0;
    let x = 0;
    let y = 0;
    for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
      const cross = ring[j][0] * ring[i][1] - ring[i][0] * ring[j][1];
      area += cross;
      x += (ring[j][0] + ring[i][0]) * cross;
      y += (ring[j][1] + ring[i][1]) * cross;
    }
    return area ? { area: Math.abs(area / 2), at: [x / (3 * area), y / (3 * area)] } : null;
  }

  // A country's place on the map: the centre of its largest piece (mainland France, not
  // French Guiana; the contiguous United States, not Alaska).
  function mainland(feature) {
    let best = null;
    for (const polygon of polygonsOf(feature.geometry)) {
      const found = ringCentroid(polygon[0]);
      if (found && (!best || found.area > best.area)) best = { ...found, ring: polygon[0] };
    }
    return best;
  }

  function draw(world) {
    const features = topojson.feature(world, world.objects.countries).features;
    const byId = new Map(features.map((f) => [String(f.id), f]));
    const places = new Map();
    for (const leg of legs) {
      for (const [code, id] of [[leg.from, leg.fromId], [leg.to, leg.toId]]) {
        const feature = byId.get(id);
        const land = feature && mainland(feature);
        if (land && !places.has(code)) places.set(code, { id, land });
      }
    }
    if (!places.size) return fail();
    // Frame the route's countries, a plate carrée scaled by the cosine of its middle latitude.
    const points = Array.from(places.values()).flatMap((p) => p.land.ring);
    const lons = points.map((p) => p[0]);
    const lats = points.map((p) => p[1]);
    const [west, east, south, north] = [Math.min(...lons), Math.max(...lons),
      Math.min(...lats), Math.max(...lats)];
    const squeeze = Math.cos(((south + north) / 2) * Math.PI / 180);
    const spanX = Math.max((east - west) * squeeze, 1);
    const spanY = Math.max(north - south, 1);
    const scale = Math.min((WIDTH - 2 * MARGIN) / spanX, (HEIGHT - 2 * MARGIN) / spanY);
    const offsetX = (WIDTH - spanX * scale) / 2;
    const offsetY = (HEIGHT - spanY * scale) / 2;
    const project = ([lon, lat]) => [
      offsetX + (lon - west) * squeeze * scale, offsetY + (north - lat) * scale,
    ];
    const path = (ring) => "M" + ring.map((p) => project(p).map((v) => v.toFixed(1)).join(","))
      .join("L") + "Z";

    const onRoute = new Set(Array.from(places.values()).map((p) => p.id));
    const countries = svg.querySelector(".vigil-countries");
    for (const feature of features) {
      const d = polygonsOf(feature.geometry).flatMap((polygon) => polygon.map(path)).join("");
      if (!d) continue;
      const route = onRoute.has(String(feature.id));
      const shape = element("path", { d, class: route ? "vigil-country vigil-country-route"
        : "vigil-country" }, countries);
      if (feature.id !== undefined) shape.dataset.id = String(feature.id);
      element("title", {}, shape).textContent = (feature.properties || {}).name || "";
    }
    const legsLayer = svg.querySelector(".vigil-legs");
    let drawn = 0;
    for (const leg of legs) {
      const a = places.get(leg.from);
      const b = places.get(leg.to);
      if (!a || !b) continue;
      const [x1, y1] = project(a.land.at);
      const [x2, y2] = project(b.land.at);
      // A gentle curve, so that a leg there and one back are told apart.
      const [cx, cy] = [(x1 + x2) / 2 - (y2 - y1) * 0.15, (y1 + y2) / 2 + (x2 - x1) * 0.15];
      const line = element("path", {
        d: `M${x1.toFixed(1)},${y1.toFixed(1)}Q${cx.toFixed(1)},${cy.toFixed(1)}`
          + ` ${x2.toFixed(1)},${y2.toFixed(1)}`,
        class: `vigil-leg vigil-leg-${leg.mode}`, "marker-end": "url(#vigil-arrow)",
      }, legsLayer);
      Object.assign(line.dataset, { from: leg.from, to: leg.to, mode: leg.mode });
      element("title", {}, line).textContent = leg.label;
      drawn += 1;
    }
    const stops = svg.querySelector(".vigil-stops");
    for (const [code, place] of places) {
      const [x, y] = project(place.land.at);
      const stop = element("g", { class: "vigil-stop" }, stops);
      stop.dataset.code = code;
      element("circle", { cx: x.toFixed(1), cy: y.toFixed(1), r: 5 }, stop);
      element("text", { x: (x + 8).toFixed(1), y: (y - 8).toFixed(1) }, stop).textContent = code;
    }
    svg.dataset.legs = String(drawn);
    if (drawn === legs.length) svg.dataset.drawn = "true";
    else fail("partly"); // a country the map does not have (Kosovo has no ISO number there)
  }

  if (typeof topojson === "undefined") {
    fail();
    return;
  }
  fetch(svg.dataset.map, { credentials: "same-origin" })
    .then((response) => (response.ok ? response.json() : Promise.reject(response.status)))
    .then(draw)
    .catch(fail);
})();
