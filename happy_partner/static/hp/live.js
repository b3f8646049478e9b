// Live events for the signed-in parent: the parent socket (/ws/v1/parent/, the session cookie) keeps
// the alert badge current and, on the alerts page, adds new alerts at the top without a reload, with a
// sound if the parent asked for one. No inline script: the page's CSP allows this file only.
(function () {
  "use strict";
  var badge = document.getElementById("alert-badge");
  var list = document.getElementById("alert-list");
  var template = document.getElementById("alert-template");
  var sound = document.getElementById("alert-sound");
  var vocabularyNode = document.getElementById("hp-vocabulary");
  var vocabulary = vocabularyNode ? JSON.parse(vocabularyNode.textContent) : { severity: {}, action: {}, category: {} };
  var retry = 1000;
  var audio = null; // one context for every alert, resumed by the parent's click on the checkbox

  if (sound) {
    sound.checked = window.localStorage.getItem("hp-alert-sound") === "on";
    sound.addEventListener("change", function () {
      window.localStorage.setItem("hp-alert-sound", sound.checked ? "on" : "off");
      if (sound.checked && window.AudioContext) {
        audio = audio || new window.AudioContext();
        audio.resume(); // a click allows sound; after a reload the browser asks for one again
      }
    });
  }

  function word(kind, code) {
    return (vocabulary[kind] && vocabulary[kind][code]) || code;
  }

  function beep() {
    if (!sound || !sound.checked || !window.AudioContext) return;
    audio = audio || new window.AudioContext();
    var tone = audio.createOscillator();
    tone.frequency.value = 880;
    tone.connect(audio.destination);
    tone.start();
    tone.stop(audio.currentTime + 0.25);
  }

  function bump() {
    if (!badge) return;
    var count = parseInt(badge.getAttribute("data-count") || "0", 10) + 1;
    badge.setAttribute("data-count", String(count));
    badge.textContent = String(count);
    badge.hidden = false;
  }

  function show(alert) {
    if (!list || !template) return;
    var item = template.content.firstElementChild.cloneNode(true);
    item.id = "alert-" + alert.event;
    var pill = item.querySelector(".pill");
    pill.textContent = word("severity", alert.severity);
    pill.classList.add(alert.severity);
    item.querySelector(".who").textContent = ((vocabulary.children || {})[String(alert.child)] || "") + ":";
    item.querySelector(".what").textContent = (alert.categories || []).map(function (c) { return word("category", c); }).join(" · ");
    item.querySelector(".done").textContent = word("action", alert.action);
    var empty = document.getElementById("no-alerts");
    if (empty) empty.remove();
    list.insertBefore(item, list.firstChild);
  }

  function connect() {
    var scheme = window.location.protocol === "https:" ? "wss://" : "ws://";
    var socket = new WebSocket(scheme + window.location.host + "/ws/v1/parent/");
    var opened = 0;
    socket.addEventListener("open", function () {
      opened = Date.now();
      document.documentElement.setAttribute("data-live", "open"); // for people and tests: live now
    });
    socket.addEventListener("message", function (message) {
      var event;
      try { event = JSON.parse(message.data); } catch (error) { return; }
      if (event.type === "alert") {
        if (document.getElementById("alert-" + event.event)) return; // told twice: shown once
        bump();
        show(event);
        beep();
        document.dispatchEvent(new CustomEvent("hp:alert", { detail: event }));
      }
    });
    socket.addEventListener("close", function (closed) {
      document.documentElement.setAttribute("data-live", "closed");
      if (closed.code === 4401 || closed.code === 4403) return; // signed out: stay quiet
      if (opened && Date.now() - opened > 10000) retry = 1000; // it had worked a while: start over
      // Jittered, so every open tab does not come back at the same moment after a deploy.
      window.setTimeout(connect, retry / 2 + Math.random() * retry);
      retry = Math.min(retry * 2, 30000);
    });
  }

  if ("WebSocket" in window) connect();
})();
