// The official OpenAI Node SDK against Pictura with only the base URL and the key changed. Each step asserts
// what the SDK parsed; the usage of every call is printed as one JSON line so the Java test can check that the
// ledger charged exactly that (NodeSdkCompatibilityTest).
import assert from 'node:assert/strict';
import OpenAI from 'openai';

const openai = new OpenAI({ baseURL: process.env.PICTURA_BASE_URL, apiKey: process.env.PICTURA_API_KEY, maxRetries: 0 });
const CHAT = 'llama-3.1-8b-instruct';
const VISION = 'llama-3.2-11b-vision-instruct';
const weather = {
  type: 'function',
  function: {
    name: 'get_weather',
    description: 'The current weather in a city.',
    parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
  },
};
const calls = [];
const charged = (model, usage) => calls.push({ model, prompt: usage.prompt_tokens, completion: usage.completion_tokens ?? 0 });

// A tool-calling conversation: the model calls the tool, the program answers it, the model replies.
const question = { role: 'user', content: 'Weather in Oslo? #sim:tool=get_weather' };
const call = await openai.chat.completions.create({ model: CHAT, messages: [question], tools: [weather], max_tokens: 64 });
assert.equal(call.choices[0].finish_reason, 'tool_calls');
const toolCall = call.choices[0].message.tool_calls[0];
assert.equal(toolCall.function.name, 'get_weather');
assert.equal(typeof JSON.parse(toolCall.function.arguments).city, 'string');
charged(CHAT, call.usage);
const reply = await openai.chat.completions.create({
  model: CHAT, tools: [weather], max_tokens: 64,
  messages: [question, call.choices[0].message, { role: 'tool', tool_call_id: toolCall.id, content: '{"temperature": 4}' }],
});
assert.ok(reply.choices[0].message.content.length > 0);
charged(CHAT, reply.usage);

// A streamed tool call, reassembled from its deltas.
const stream = await openai.chat.completions.create({
  model: CHAT, messages: [{ role: 'user', content: 'Weather in Bergen?' }], tools: [weather], max_tokens: 64,
  tool_choice: { type: 'function', function: { name: 'get_weather' } }, stream: true, stream_options: { include_usage: true },
});
let args = '';
let streamUsage;
for await (const chunk of stream) {
  for (const choice of chunk.choices) {
    for (const delta of choice.delta?.tool_calls ?? []) {
      args += delta.function?.arguments ?? '';
    }
  }
  if (chunk.usage) streamUsage = chunk.usage;
}
assert.equal(typeof JSON.parse(args).city, 'string');
charged(CHAT, streamUsage);

// A JSON-schema answer.
const structured = await openai.chat.completions.create({
  model: CHAT, messages: [{ role: 'user', content: 'A city, as JSON.' }], max_tokens: 64,
  response_format: {
    type: 'json_schema',
    json_schema: { name: 'city', strict: true, schema: { type: 'object', properties: { name: { type: 'string' }, population: { type: 'integer' } } } },
  },
});
const city = JSON.parse(structured.choices[0].message.content);
assert.equal(typeof city.name, 'string');
assert.ok(Number.isInteger(city.population));
charged(CHAT, structured.usage);

// Embeddings (the SDK asks for base64 by default and decodes it).
const embedded = await openai.embeddings.create({ model: 'bge-m3', input: 'A quiet harbour at dawn.' });
assert.equal(embedded.data[0].embedding.length, 1024);
charged('bge-m3', embedded.usage);

// A vision message: text and an image as a data URL.
const pixel = 'data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==';
const seen = await openai.chat.completions.create({
  model: VISION, max_tokens: 32,
  messages: [{ role: 'user', content: [{ type: 'text', text: 'What is in this picture?' }, { type: 'image_url', image_url: { url: pixel } }] }],
});
assert.ok(seen.choices[0].message.content.length > 0);
charged(VISION, seen.usage);

console.log(JSON.stringify({ calls }));
