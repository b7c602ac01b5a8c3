'use strict';
// The image2music page: everything here talks to the JSON API of the same server; nothing is
// fetched from anywhere else.

const $ = (id) => document.getElementById(id);

const state = {
  health: null,
  file: null,
  ranked: [],          // [{label, probability}] from the tagger, most probable first
  selected: new Set(), // the moods the next request asks for
  job: null,           // the latest finished job shown
  play: null,          // the play-on session, or null
};

async function api(path, options) {
  const response = await fetch(path, options);
  let body = {};
  try { body = await response.json(); } catch (e) { /* not JSON */ }
  if (!response.ok) {
    const error = new Error(body.error || `${response.status} ${response.statusText}`);
    error.status = response.status;
    throw error;
  }
  return body;
}

function showError(message) {
  const e = $('error');
  e.textContent = message || '';
  e.hidden = !message;
}

async function init() {
  state.health = await api('/api/health');
  $('seconds').value = state.health.settings.clip_seconds.toFixed(2);
  $('seconds').max = state.health.settings.max_seconds;
  state.ranked = state.health.moods.map((label) => ({ label, probability: null }));
  renderMoods();
  refreshRecent();
}

function renderMoods() {
  const box = $('moods');
  box.replaceChildren();
  for (const { label, probability } of state.ranked) {
    const chip = document.createElement('button');
    chip.type = 'button';
    chip.className = 'chip' + (state.selected.has(label) ? ' on' : '');
    chip.dataset.mood = label;
    chip.textContent = label;
    if (probability !== null) {
      const p = document.createElement('small');
      p.textContent = `${Math.round(probability * 100)}%`;
      chip.append(p);
    }
    chip.addEventListener('click', () => {
      if (state.selected.has(label)) state.selected.delete(label); else state.selected.add(label);
      renderMoods();
    });
    box.append(chip);
  }
  $('generate').disabled = !state.file && state.selected.size === 0;
}

async function pick(file) {
  if (!file) return;
  showError('');
  state.file = file;
  const preview = $('preview');
  preview.src = URL.createObjectURL(file);
  preview.hidden = false;
  $('drop-hint').hidden = true;
  const form = new FormData();
  form.append('image', file);
  try {
    const tags = await api('/api/tag', { method: 'POST', body: form });
    state.ranked = tags.labels;
    state.selected = new Set(tags.selected);
  } catch (e) {
    state.file = null;
    showError(e.message);
  }
  renderMoods();
}

function requestForm(withImage) {
  const form = new FormData();
  if (state.selected.size > 0) form.append('labels', [...state.selected].join(','));
  else if (withImage && state.file) form.append('image', state.file);
  return form;
}

/** Follows a job's events until it ends; resolves with its final state. */
function follow(id, onProgress) {
  return new Promise((resolve) => {
    let done = false;
    const finish = (job) => { if (!done) { done = true; resolve(job); } };
    const poll = async () => {
      while (!done) {
        try {
          const job = await api(`/api/jobs/${id}`);
          onProgress(job);
          if (!['queued', 'running'].includes(job.state)) { finish(job); return; }
        } catch (e) { finish({ id, state: 'failed', error: e.message }); return; }
        await new Promise((r) => setTimeout(r, 500));
      }
    };
    if (!window.EventSource) { poll(); return; }
    const events = new EventSource(`/api/jobs/${id}/events`);
    events.addEventListener('progress', (m) => {
      const job = JSON.parse(m.data);
      onProgress(job);
      if (!['queued', 'running'].includes(job.state)) { events.close(); finish(job); }
    });
    events.onerror = () => { events.close(); if (!done) poll(); };
  });
}

function showProgress(job) {
  const p = job.progress || {};
  $('bar').value = p.fraction || 0;
  $('status').textContent = job.state === 'queued'
    ? 'waiting in the queue…'
    : `clip ${Math.min((p.clip || 0) + 1, p.clips || 1)} of ${p.clips || 1}, step ${p.step || 0} of ${p.steps || '?'}`;
}

async function generate() {
  showError('');
  stopPlaying();
  const form = requestForm(true);
  if (!form.has('labels') && !form.has('image')) { showError('Choose a picture or a mood first.'); return; }
  const seconds = $('seconds').value;
  if (seconds) form.append('seconds', seconds);
  if ($('seed').value) form.append('seed', $('seed').value);
  $('generate').disabled = true;
  $('progress').hidden = false;
  try {
    const { id } = await api('/api/generate', { method: 'POST', body: form });
    $('cancel').onclick = () => api(`/api/jobs/${id}`, { method: 'DELETE' }).catch(() => {});
    const job = await follow(id, showProgress);
    if (job.state === 'done') showResult(job);
    else showError(job.state === 'cancelled' ? 'Cancelled.' : `Failed: ${job.error || job.state}`);
  } catch (e) {
    showError(e.status === 429 ? 'The server is busy; try again in a moment.' : e.message);
  } finally {
    $('progress').hidden = true;
    $('generate').disabled = false;
    refreshRecent();
  }
}

function showResult(job) {
  state.job = job;
  $('result').hidden = false;
  $('result-prompt').textContent = job.prompt;
  const stamp = `?v=${job.id}`;
  $('spectrogram').src = job.files.spectrogram + stamp;
  $('result-audio').src = job.files.audio + stamp;
  $('download-wav').href = job.files.audio;
  $('download-png').href = job.files.spectrogram;
  $('download-json').href = job.files.result;
  drawAxes(job.result.audio_seconds);
}

/** Time ticks along the image, mel-scaled frequency ticks beside it (HTK mel, as the model's). */
function drawAxes(seconds) {
  const time = $('time-axis');
  time.replaceChildren();
  const step = seconds > 20 ? 5 : seconds > 8 ? 2 : 1;
  for (let t = 0; t <= seconds + 1e-9; t += step) {
    const s = document.createElement('span');
    s.style.left = `${(t / seconds) * 100}%`;
    s.textContent = `${t} s`;
    time.append(s);
  }
  const freq = $('freq-axis');
  freq.replaceChildren();
  const mel = (f) => 2595 * Math.log10(1 + f / 700);
  const top = state.health.settings.max_frequency;
  for (const f of [0, 500, 1000, 2000, 4000, 7000, 10000].filter((f) => f <= top)) {
    const s = document.createElement('span');
    s.style.top = `${(1 - mel(f) / mel(top)) * 100}%`;
    s.textContent = f >= 1000 ? `${f / 1000}k` : `${f}`;
    freq.append(s);
  }
}

async function refreshRecent() {
  try {
    const { jobs } = await api('/api/jobs');
    const list = $('recent');
    list.replaceChildren();
    for (const job of jobs.slice(0, 12)) {
      const li = document.createElement('li');
      li.textContent = `${job.prompt} — ${job.kind}, ${job.state}`;
      if (job.files) {
        for (const [name, href] of [['wav', job.files.audio], ['png', job.files.spectrogram]]) {
          const a = document.createElement('a');
          a.href = href;
          a.textContent = name;
          li.append(a);
        }
      }
      list.append(li);
    }
  } catch (e) { /* the list is a convenience */ }
}

// Play on: the stretches of the piece (stream.wav of each job) are scheduled back to back on one
// Web Audio clock, so they join without a gap; the next one is asked for while the last plays.
async function playOn() {
  if (!state.job || state.play) return;
  $('result-audio').pause();
  const ctx = new AudioContext();
  const play = { ctx, next: ctx.currentTime + 0.15, latest: state.job, waiting: 0, clips: 0,
                 labels: [...state.selected].join(',') };
  state.play = play;
  $('playon').disabled = true;
  $('stop').disabled = false;
  try {
    await schedule(play, state.job);
    while (state.play === play) {
      const ahead = play.next - ctx.currentTime;
      if (ahead > state.health.settings.clip_seconds + 1) {
        await new Promise((r) => setTimeout(r, 250));
        continue;
      }
      const form = new FormData();
      const labels = [...state.selected].join(',');
      if (labels && labels !== play.labels) form.append('labels', labels);
      const { id } = await api(`/api/jobs/${play.latest.id}/continue`, { method: 'POST', body: form });
      const job = await follow(id, (j) => {
        const p = j.progress || {};
        $('playon-status').textContent = j.state === 'queued'
          ? 'next clip waiting for the generator…'
          : `making the next clip: step ${p.step || 0} of ${p.steps || '?'}`;
      });
      $('playon-status').textContent = '';
      if (state.play !== play) break;
      if (job.state !== 'done') throw new Error(`continuing failed: ${job.error || job.state}`);
      if (labels) play.labels = labels;
      play.latest = job;
      $('result-prompt').textContent = job.prompt;
      await schedule(play, job);
    }
  } catch (e) {
    if (state.play === play) showError(e.message);
    stopPlaying();
  }
}

async function schedule(play, job) {
  const bytes = await (await fetch(job.files.stream)).arrayBuffer();
  const buffer = await play.ctx.decodeAudioData(bytes);
  if (state.play !== play) return;
  const source = play.ctx.createBufferSource();
  source.buffer = buffer;
  source.connect(play.ctx.destination);
  play.next = Math.max(play.next, play.ctx.currentTime + 0.05);
  source.start(play.next);
  play.next += buffer.duration;
  play.clips += 1;
  play.waiting += 1;
  source.onended = () => { play.waiting -= 1; $('queue-count').textContent = play.waiting; };
  $('clip-count').textContent = play.clips;
  $('queue-count').textContent = play.waiting;
}

function stopPlaying() {
  const play = state.play;
  if (!play) return;
  state.play = null;
  play.ctx.close();
  $('playon').disabled = false;
  $('stop').disabled = true;
  $('queue-count').textContent = '0';
  $('playon-status').textContent = '';
}

$('file').addEventListener('change', (e) => pick(e.target.files[0]));
const drop = $('drop');
drop.addEventListener('dragover', (e) => { e.preventDefault(); drop.classList.add('over'); });
drop.addEventListener('dragleave', () => drop.classList.remove('over'));
drop.addEventListener('drop', (e) => {
  e.preventDefault();
  drop.classList.remove('over');
  pick(e.dataTransfer.files[0]);
});
$('generate').addEventListener('click', generate);
$('playon').addEventListener('click', playOn);
$('stop').addEventListener('click', stopPlaying);
init().catch((e) => showError(`The server did not answer: ${e.message}`));
