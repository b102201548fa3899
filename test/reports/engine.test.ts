import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { escapeHtml, escapeMarkdown, parseTemplate, renderTemplate } from '../../src/core/reports/templates/engine'

const html = (src: string, data: unknown, partials = {}) => renderTemplate(parseTemplate(src, 'template.html'), data, { escape: escapeHtml, partials })

describe('report template language', () => {
  it('prints values escaped, repeats lists and branches on truthiness', () => {
    const data = { title: 'A <b>&', rows: [{ name: '<i>x</i>', n: 0 }, { name: 'y', n: 2 }], empty: [], flag: false }
    const out = html('<h1>{{title}}</h1>{{#each rows}}<li>{{@number}}/{{name}}{{#if n}} n={{n}}{{else}} none{{/if}} in {{title}}</li>{{/each}}{{#each empty}}x{{else}}no rows{{/each}}{{#unless flag}}!{{/unless}}', data)
    expect(out).toBe('<h1>A &lt;b&gt;&amp;</h1><li>1/&lt;i&gt;x&lt;/i&gt; none in A &lt;b&gt;&amp;</li><li>2/y n=2 in A &lt;b&gt;&amp;</li>no rows!')
  })

  it('has no unescaped output: triple braces are refused, with file and line', () => {
    expect(() => parseTemplate('ok\n\n{{{title}}}', 'mine/template.html')).toThrow(/^mine\/template\.html:3: triple braces/)
  })

  it('names the file and line of every mistake', () => {
    expect(() => parseTemplate('a\n{{#each rows}}\n{{/if}}', 't.html')).toThrow('t.html:3: {{/if}} closes {{#each}} opened at line 2')
    expect(() => parseTemplate('{{#if x}}\n\nno end', 't.html')).toThrow('t.html:1: {{#if x}} is never closed')
    expect(() => parseTemplate('\n{{a b}}', 't.html')).toThrow(/^t\.html:2: "\{\{a b\}\}" is not a field path/)
    expect(() => html('\n\n{{> nope}}', {})).toThrow(/^template\.html:3: unknown partial \{\{> nope\}\}/)
    expect(() => html('{{rows}}', { rows: [1] })).toThrow(/^template\.html:1: \{\{rows\}\} is a list or object/)
  })

  it('inserts partials only from the renderer, given the resolved argument', () => {
    const out = html('{{#each charts}}[{{> chart this}}]{{/each}}', { charts: [{ id: 'a' }, { id: 'b' }] }, { chart: (arg: unknown) => `<svg id="${(arg as { id: string }).id}"/>` })
    expect(out).toBe('[<svg id="a"/>][<svg id="b"/>]')
  })

  it('escapes any string so that it contains no markup', () => {
    fc.assert(fc.property(fc.string({ unit: 'grapheme' }), (s) => {
      const e = escapeHtml(s)
      expect(e).not.toMatch(/[<>"'`]/)
      // Decoding the five entities gives the original back: nothing was lost.
      expect(e.replace(/&lt;|&gt;|&quot;|&#39;|&#96;|&amp;/g, (m) => ({ '&lt;': '<', '&gt;': '>', '&quot;': '"', '&#39;': "'", '&#96;': '`', '&amp;': '&' })[m] as string)).toBe(s)
    }))
  })

  it('escapes Markdown so a value cannot open HTML, a link, a table cell or a new block', () => {
    fc.assert(fc.property(fc.string(), (s) => {
      const e = escapeMarkdown(s)
      expect(e).not.toMatch(/[<>\r\n]/)
      // Every markup character is preceded by a backslash.
      expect(e.replace(/\\[\\`*_[\]|~]/g, '')).not.toMatch(/[`*_[\]|~]/)
    }))
    expect(escapeMarkdown('<img src=x onerror=alert(1)>')).toBe('&lt;img src=x onerror=alert(1)&gt;')
    expect(escapeMarkdown('# title')).toBe('\\# title')
    expect(escapeMarkdown('- item')).toBe('\\- item')
    expect(escapeMarkdown('1. item')).toBe('1\\. item')
    expect(escapeMarkdown('-21.3%')).toBe('-21.3%')
  })
})
