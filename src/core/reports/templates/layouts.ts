// The built-in layouts, written in the same template language users write theirs in
// (docs/templates.md). `swarmscope report template-init DIR` copies them out as a starting point.

export const HTML_LAYOUT = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>{{title}}</title>
<style>{{> styles}}</style>
</head>
<body>
<header>
  <h1>{{title}}</h1>
  <p class="scope">{{scope.description}}</p>
  <p class="meta">Generated {{generatedAt}} by Swarmscope {{generator.version}} · template {{template.title}} · report schema v{{schemaVersion}}</p>
</header>
{{#if summary}}<section class="summary">
  <h2>Summary</h2>
  {{#each summary}}<p>{{text}}</p>
  {{/each}}
</section>{{/if}}
{{#if kpis}}<section class="kpis">
  {{#each kpis}}<div class="kpi"><div class="label">{{label}}</div><div class="value">{{text}}</div>{{#if note}}<div class="note">{{note}}</div>{{/if}}</div>
  {{/each}}
</section>{{/if}}
{{#if verdicts}}<section>
  <h2>Verdicts</h2>
  <table><thead><tr><th>candidate</th><th>metric</th><th class="r">baseline</th><th class="r">candidate</th><th class="r">change</th><th class="r">n (b / c)</th><th class="r">p (Holm)</th><th class="r">effect</th><th>verdict</th></tr></thead>
  <tbody>{{#each verdicts}}<tr class="{{verdict}}"><td>{{candidateRef}}</td><td>{{label}}</td><td class="r">{{baselineText}}</td><td class="r">{{candidateText}}</td><td class="r">{{changeText}}</td><td class="r">{{nText}}</td><td class="r">{{pText}}</td><td class="r">{{effectText}}</td><td><span class="verdict">{{verdictText}}</span></td></tr>
  {{/each}}</tbody></table>
</section>{{/if}}
{{#if charts}}<section class="charts">
  {{#each charts}}{{> chart this}}
  {{/each}}
</section>{{/if}}
{{#if insights}}<section>
  <h2>Insights</h2>
  <ol class="insights">{{#each insights}}<li><strong>{{title}}</strong> <span class="confidence">confidence {{confidenceText}}</span><br>{{detail}}<br><small>{{confidenceMethod}}</small></li>
  {{/each}}</ol>
</section>{{/if}}
{{#if recommendations}}<section>
  <h2>Recommendations</h2>
  <ul class="recommendations">{{#each recommendations}}<li class="{{severity}}"><span class="severity">{{severity}}</span> {{message}}<br><small>Based on {{basis}}</small></li>
  {{/each}}</ul>
</section>{{/if}}
{{#each tables}}<section class="table">{{> table this}}</section>
{{/each}}
{{#if anomalies}}<section>
  <h2>Anomalies</h2>
  <table><thead><tr><th>span</th><th>kind</th><th>name</th><th>agent</th><th class="r">latency</th><th class="r">group median</th><th class="r">score</th><th>severity</th></tr></thead>
  <tbody>{{#each anomalies}}<tr><td>{{spanId}}</td><td>{{kind}}</td><td>{{name}}</td><td>{{agent}}</td><td class="r">{{latencyText}}</td><td class="r">{{medianText}}</td><td class="r">{{score}}</td><td>{{severity}}</td></tr>
  {{/each}}</tbody></table>
</section>{{/if}}
{{#if methodology}}<section class="methodology">
  <h2>Methodology</h2>
  {{#each methodology}}<p><strong>{{topic}}.</strong> {{text}}</p>
  {{/each}}
</section>{{/if}}
</body>
</html>
`

export const MARKDOWN_LAYOUT = `# {{title}}

{{scope.description}}

_Generated {{generatedAt}} by Swarmscope {{generator.version}}, template {{template.title}}, report schema v{{schemaVersion}}._

{{#if summary}}## Summary

{{#each summary}}{{text}}

{{/each}}{{/if}}{{#if kpis}}| KPI | value | note |
|---|---:|---|
{{#each kpis}}| {{label}} | {{text}} | {{note}} |
{{/each}}
{{/if}}{{#if verdicts}}## Verdicts

| candidate | metric | baseline | candidate | change | n (b / c) | p (Holm) | effect | verdict |
|---|---|---:|---:|---:|---:|---:|---:|---|
{{#each verdicts}}| {{candidateRef}} | {{label}} | {{baselineText}} | {{candidateText}} | {{changeText}} | {{nText}} | {{pText}} | {{effectText}} | {{verdictText}} |
{{/each}}
{{/if}}{{#each charts}}{{> chart this}}

{{/each}}{{#if insights}}## Insights

{{#each insights}}{{@number}}. **{{title}}** (confidence {{confidenceText}}). {{detail}} _{{confidenceMethod}}_
{{/each}}
{{/if}}{{#if recommendations}}## Recommendations

{{#each recommendations}}- **{{severity}}**: {{message}} _Based on {{basis}}._
{{/each}}
{{/if}}{{#each tables}}{{> table this}}
{{/each}}{{#if anomalies}}## Anomalies

| span | kind | name | agent | latency | group median | score | severity |
|---|---|---|---|---:|---:|---:|---|
{{#each anomalies}}| {{spanId}} | {{kind}} | {{name}} | {{agent}} | {{latencyText}} | {{medianText}} | {{score}} | {{severity}} |
{{/each}}
{{/if}}{{#if methodology}}## Methodology

{{#each methodology}}**{{topic}}.** {{text}}

{{/each}}{{/if}}`

/** Screen and print styles of the built-in HTML layout (the `styles` partial). */
export const STYLES = `
:root { --ink: #1d2330; --muted: #5b6475; --line: #d9dee7; --accent: #3b6fd4; --bad: #c9463d; --good: #3a9e6e; }
* { box-sizing: border-box; }
body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "DejaVu Sans", sans-serif; color: var(--ink); max-width: 1040px; margin: 24px auto; padding: 0 24px; }
h1 { font-size: 24px; margin: 0 0 4px; } h2 { font-size: 17px; margin: 22px 0 8px; border-bottom: 1px solid var(--line); padding-bottom: 3px; }
.scope { margin: 0; color: var(--muted); } .meta { margin: 2px 0 0; color: var(--muted); font-size: 12px; }
.kpis { display: grid; grid-template-columns: repeat(auto-fill, minmax(150px, 1fr)); gap: 8px; margin: 16px 0; }
.kpi { border: 1px solid var(--line); border-radius: 6px; padding: 8px 10px; break-inside: avoid; }
.kpi .label { color: var(--muted); font-size: 12px; } .kpi .value { font-size: 20px; font-weight: 600; } .kpi .note { color: var(--muted); font-size: 11px; }
.charts { display: grid; grid-template-columns: repeat(auto-fit, minmax(420px, 1fr)); gap: 12px; }
figure { margin: 0; break-inside: avoid; border: 1px solid var(--line); border-radius: 6px; padding: 4px; }
figure svg { display: block; max-width: 100%; height: auto; }
figcaption { font-size: 12px; color: var(--muted); padding: 2px 6px; }
table { border-collapse: collapse; width: 100%; font-size: 12.5px; margin: 6px 0; }
th, td { border-bottom: 1px solid var(--line); padding: 4px 6px; text-align: left; vertical-align: top; overflow-wrap: anywhere; }
th { overflow-wrap: normal; }
th { background: #f3f5f9; font-weight: 600; } .r { text-align: right; font-variant-numeric: tabular-nums; }
tr.regressed .verdict, li.critical .severity { color: var(--bad); font-weight: 600; } tr.improved .verdict { color: var(--good); font-weight: 600; }
li.warning .severity { color: #b7791f; font-weight: 600; }
.insights li, .recommendations li { margin-bottom: 6px; } .confidence { color: var(--muted); font-size: 12px; }
.omitted { color: var(--muted); font-size: 12px; }
.methodology p { font-size: 12.5px; color: var(--muted); }
@page { size: A4; margin: 14mm 12mm; }
@media print {
  body { max-width: none; margin: 0; padding: 0; font-size: 11.5px; }
  h2 { break-after: avoid; } tr, li, p { break-inside: avoid; }
  .kpis { grid-template-columns: repeat(5, 1fr); }
  .charts { grid-template-columns: 1fr 1fr; }
  a { color: inherit; text-decoration: none; }
}
`
