/// `/runs/{id}/problems/{problem}`: the trajectory viewer.
enum TrajectoryTemplates {
    static let page = """
        {{<layout}}
        {{$main}}
        <p class="crumbs"><a href="/">Leaderboard</a> › <a href="{{agentHref}}">{{agentName}} v{{versionNumber}}</a> › <a href="{{runHref}}">Run {{runShort}}</a> › Problem {{position}}</p>
        <h1>Trajectory <span class="muted">problem {{position}} · {{category}}</span></h1>
        <blockquote class="request"><p>{{query}}</p></blockquote>
        <div class="verdicts">
        <section class="panel" aria-labelledby="outcome-h">
        <h2 id="outcome-h">Outcome</h2>
        <p>
        {{>status}}
        <span class="big">{{outcomeScore}}</span> <span class="muted">outcome score · {{timeText}} · {{inferenceText}}</span></p>
        {{#hasComponents}}
        <dl class="kv">
        {{#components}}<div><dt>{{name}}</dt><dd>{{value}}</dd></div>{{/components}}
        </dl>
        {{/hasComponents}}
        {{#errorText}}<p class="notice bad"><strong>Error:</strong> {{errorText}}</p>{{/errorText}}
        </section>
        <section class="panel" aria-labelledby="judge-h">
        <h2 id="judge-h">Judge</h2>
        <p><span class="big">{{judgeScore}}</span> <span class="muted">reasoning score{{#judgeModel}} · {{judgeModel}}{{/judgeModel}}</span></p>
        <p class="explanation">{{judgeExplanation}}</p>
        <p class="small muted">Corpus verdict: {{verdictText}}</p>
        </section>
        <section class="panel" aria-labelledby="audit-h">
        <h2 id="audit-h">Dialogue vs proxy log</h2>
        {{#auditClean}}<p class="agree">✓ {{auditSummary}}</p>{{/auditClean}}
        {{^auditClean}}
        <p class="disagree"><span class="mark" aria-hidden="true">⚠</span> {{auditSummary}}</p>
        <ul class="findings">
        {{#findings}}<li>{{#href}}<a href="{{href}}">{{where}}</a>: {{/href}}{{message}}</li>{{/findings}}
        </ul>
        {{/auditClean}}
        <p class="small muted">{{proxyTotals}}</p>
        </section>
        </div>
        {{#logProblem}}<p class="notice warn">{{logProblem}}</p>{{/logProblem}}
        {{#hasSteps}}
        <h2 id="steps-h">Steps</h2>
        <ol class="steps" aria-labelledby="steps-h">
        {{#steps}}
        <li class="step{{#hasMarks}} flagged{{/hasMarks}}" id="{{anchor}}">
        <header><h3>Step {{number}}</h3>{{#time}}<time datetime="{{time.iso}}">{{time.text}}</time>{{/time}}{{#hasMarks}}<span class="badge s-flag">⚠ disagrees with the proxy log</span>{{/hasMarks}}</header>
        {{#hasMarks}}<ul class="marks">{{#marks}}<li>{{.}}</li>{{/marks}}</ul>{{/hasMarks}}
        {{#think}}
        <div class="think"><h4>Thinking</h4>
        <pre>{{think}}</pre>{{#thinkClipped}}<p class="small muted">Thinking shortened to its first {{thinkLimit}} characters; the raw log has all of it.</p>{{/thinkClipped}}</div>
        {{/think}}
        {{#calls}}
        <div class="call">
        <h4>Tool call <code>{{name}}</code>{{#callID}} <span class="muted small">#{{callID}}</span>{{/callID}}</h4>
        {{#hasArguments}}<dl class="args">{{#arguments}}<div><dt>{{name}}</dt><dd><code>{{value}}</code></dd></div>{{/arguments}}</dl>{{/hasArguments}}
        {{#hasProducts}}
        <p class="small muted">{{productsText}}</p>
        <ul class="products">
        {{#products}}
        <li class="product"><span class="pid">#{{id}}</span><span class="ptitle">{{title}}</span>{{#hasMeta}}<span class="pmeta">{{#price}}<strong>{{price}}</strong>{{/price}}{{#shop}} · shop {{shop}}{{/shop}}{{#sold}} · {{sold}} sold{{/sold}}</span>{{/hasMeta}}{{#details}}<span class="pdetails">{{details}}</span>{{/details}}{{#services}}<span class="psvc">{{services}}</span>{{/services}}</li>
        {{/products}}
        </ul>
        {{/hasProducts}}
        {{#resultText}}<details class="result"><summary>Result</summary><pre>{{resultText}}</pre></details>{{/resultText}}
        </div>
        {{/calls}}
        {{#response}}<div class="response"><h4>Response</h4><pre>{{response}}</pre></div>{{/response}}
        {{#hasProxyCalls}}
        <details class="proxy" open>
        <summary>Trusted proxy calls during this step ({{proxyCount}})</summary>
        <div class="table-wrap">
        <table class="data proxy-calls">
        <thead><tr><th scope="col">Time</th><th scope="col">Call</th><th scope="col">Status</th><th scope="col" class="num">Duration</th><th scope="col">Tokens / products</th></tr></thead>
        <tbody>
        {{#proxyCalls}}
        <tr{{#flagged}} class="flagged"{{/flagged}}>
        <td><time datetime="{{iso}}">{{clock}}</time></td>
        <td><code>{{method}} {{path}}</code>{{#argument}}<div class="small">{{argument}}</div>{{/argument}}{{#model}}<div class="small muted">model {{model}}</div>{{/model}}{{#flagged}}<div class="small flag">⚠ {{flagText}}</div>{{/flagged}}</td>
        <td><span class="badge s-{{statusCss}}">{{status}}</span></td>
        <td class="num">{{duration}}</td>
        <td>{{detail}}</td>
        </tr>
        {{/proxyCalls}}
        </tbody>
        </table>
        </div>
        </details>
        {{/hasProxyCalls}}
        </li>
        {{/steps}}
        </ol>
        {{/hasSteps}}
        {{^hasSteps}}{{#hasLog}}<p class="empty">The agent returned no dialogue for this problem.</p>{{/hasLog}}{{/hasSteps}}
        {{#hasLooseCalls}}
        <section aria-labelledby="loose-h">
        <h2 id="loose-h">Proxy calls outside the dialogue</h2>
        <p class="small muted">Calls the proxy logged that no step accounts for (a failed or timed-out agent has no dialogue, but its calls still count).</p>
        <div class="table-wrap">
        <table class="data proxy-calls">
        <thead><tr><th scope="col">Time</th><th scope="col">Call</th><th scope="col">Status</th><th scope="col" class="num">Duration</th><th scope="col">Tokens / products</th></tr></thead>
        <tbody>
        {{#looseCalls}}
        <tr{{#flagged}} class="flagged"{{/flagged}}>
        <td><time datetime="{{iso}}">{{clock}}</time></td>
        <td><code>{{method}} {{path}}</code>{{#argument}}<div class="small">{{argument}}</div>{{/argument}}{{#model}}<div class="small muted">model {{model}}</div>{{/model}}{{#flagged}}<div class="small flag">⚠ {{flagText}}</div>{{/flagged}}</td>
        <td><span class="badge s-{{statusCss}}">{{status}}</span></td>
        <td class="num">{{duration}}</td>
        <td>{{detail}}</td>
        </tr>
        {{/looseCalls}}
        </tbody>
        </table>
        </div>
        </section>
        {{/hasLooseCalls}}
        {{#rawLogHref}}<p class="small muted"><a href="{{rawLogHref}}">Download the raw log</a> (gzip JSON lines, as the validator uploaded it).</p>{{/rawLogHref}}
        {{/main}}
        {{/layout}}
        """
}
