import { useId } from 'react';
import type { JourneyRule, JourneyRuleChoices } from '../../api/types.ts';
import { ruleInWords } from './journey-rule-words.ts';

/**
 * A journey rule as it is now, in words, beside the form of an admin whose change was refused
 * because someone else changed the rule after they opened it (decision 0079).
 */
export function RuleNow({ rule, choices }: { rule: JourneyRule; choices: JourneyRuleChoices }) {
  const headingId = useId();
  const words = ruleInWords(rule, choices);
  const facts: [string, string][] = [
    ['When this happens', words.milestone],
    ['To', words.victims],
    ['For cases', words.cases],
    ['Message', words.message],
    ['Sent', words.when],
    ['Kind', words.kind],
    ['Status', words.status],
  ];
  return (
    <section aria-labelledby={headingId} className="panel" data-testid="journey-rule-now">
      <h3 id={headingId}>The rule as it is now</h3>
      <p>The fields you had not changed now show the rule as it is. The fields you changed keep what you entered: nothing is saved until you save again.</p>
      <dl className="facts">
        {facts.map(([term, value]) => (
          <div key={term}>
            <dt>{term}</dt>
            <dd>{value}</dd>
          </div>
        ))}
      </dl>
    </section>
  );
}
