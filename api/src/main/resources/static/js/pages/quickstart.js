// Quick start: the first call with curl, the OpenAI Python SDK and the OpenAI Node SDK, filled in with this
// server's base URL and the prefix of the person's newest active key (the rest of the secret stays theirs).
import {get} from '../api.js';
import {h, replace, button} from '../dom.js';
import {copy} from '../ui.js';

const CHAT_MODEL = 'llama-3.1-8b-instruct';
const IMAGE_MODEL = 'flux-schnell';

function snippet(id, title, code) {
  const copyButton = button(id + '-copy', 'Copy', () => copy(code, copyButton), 'secondary small');
  return h('section', {class: 'panel'},
    h('div', {class: 'page-head', style: 'margin-bottom:.25rem'}, h('h2', {style: 'margin:0'}, title), copyButton),
    h('pre', {class: 'code', id, 'data-test': id}, h('code', {}, code)));
}

export async function render({main, alive}) {
  const keys = await get('/api/keys');
  if (!alive()) return;
  const active = keys.find(k => k.active);
  const base = location.origin + '/v1';
  const key = active ? active.prefix + '…REST_OF_YOUR_KEY' : 'YOUR_API_KEY';
  const curl = `curl ${base}/chat/completions \\
  -H "Authorization: Bearer ${key}" \\
  -H "Content-Type: application/json" \\
  -d '{
    "model": "${CHAT_MODEL}",
    "messages": [{"role": "user", "content": "Say hello to Pictura"}]
  }'

# An image
curl ${base}/images/generations \\
  -H "Authorization: Bearer ${key}" \\
  -H "Content-Type: application/json" \\
  -d '{"model": "${IMAGE_MODEL}", "prompt": "a lighthouse at dawn, watercolor", "size": "1024x1024"}'`;
  const python = `# pip install openai
from openai import OpenAI

client = OpenAI(
    base_url="${base}",
    api_key="${key}",  # better: os.environ["PICTURA_API_KEY"]
)

answer = client.chat.completions.create(
    model="${CHAT_MODEL}",
    messages=[{"role": "user", "content": "Say hello to Pictura"}],
)
print(answer.choices[0].message.content)

image = client.images.generate(model="${IMAGE_MODEL}", prompt="a lighthouse at dawn, watercolor")
print(image.data[0].url)`;
  const node = `// npm install openai
import OpenAI from "openai";

const client = new OpenAI({
  baseURL: "${base}",
  apiKey: "${key}", // better: process.env.PICTURA_API_KEY
});

const answer = await client.chat.completions.create({
  model: "${CHAT_MODEL}",
  messages: [{ role: "user", content: "Say hello to Pictura" }],
});
console.log(answer.choices[0].message.content);`;
  replace(main,
    h('div', {class: 'page-head'}, h('h1', {}, 'Quick start')),
    h('div', {class: 'panel'},
      h('dl', {class: 'facts'},
        h('dt', {}, 'Base URL'), h('dd', {}, h('code', {id: 'qs-base-url', 'data-test': 'qs-base-url'}, base)),
        h('dt', {}, 'Your key'), h('dd', {}, active
          ? [h('code', {id: 'qs-key-prefix', 'data-test': 'qs-key-prefix'}, active.prefix + '…'),
            h('span', {class: 'muted small'}, ` (“${active.name}”: paste the full secret you copied when you created it)`)]
          : h('span', {}, 'No active key yet: ', h('a', {href: '#/keys', id: 'qs-create-key', 'data-test': 'qs-create-key'}, 'create one')))),
      h('p', {class: 'muted small', style: 'margin:.75rem 0 0'}, 'Pictura speaks the OpenAI API: any OpenAI SDK works ' +
        'with the base URL above. Every call answers an x-request-id header; find the call under Usage by it.')),
    snippet('qs-curl', 'curl', curl),
    snippet('qs-python', 'Python (OpenAI SDK)', python),
    snippet('qs-node', 'Node.js (OpenAI SDK)', node));
}
