import { expect, test } from 'vitest';
import { loadConfig } from '../../server/config.js';

test('defaults', () => {
  expect(loadConfig({})).toEqual({
    PORT: 3000,
    HOST: '0.0.0.0',
    DATA_DIR: './data',
    CORS_ORIGINS: [],
    NEWS_RATE: 1,
    NEWS_TOPICS: ['markets', 'sports', 'tech'],
    NEWS_TOKEN: '',
    LOG_LEVEL: 'info',
  });
});

test('lists are comma-separated and origins normalised', () => {
  const config = loadConfig({
    CORS_ORIGINS: 'https://a.example/, http://b.example:8080',
    NEWS_TOPICS: 'weather, traffic',
  });
  expect(config.CORS_ORIGINS).toEqual(['https://a.example', 'http://b.example:8080']);
  expect(config.NEWS_TOPICS).toEqual(['weather', 'traffic']);
});

test.each([
  [{ PORT: 'eighty' }, /PORT/],
  [{ PORT: '70000' }, /PORT/],
  [{ NEWS_RATE: '-1' }, /NEWS_RATE/],
  [{ LOG_LEVEL: 'loud' }, /LOG_LEVEL/],
  [{ CORS_ORIGINS: 'not a url' }, /CORS_ORIGINS/],
  [{ NEWS_TOPICS: 'Bad Topic' }, /NEWS_TOPICS/],
])('invalid %o fails with a message naming the variable', (env, pattern) => {
  expect(() => loadConfig(env)).toThrow(pattern);
});
