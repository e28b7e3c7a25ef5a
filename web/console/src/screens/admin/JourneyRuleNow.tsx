import type { JourneyRule, JourneyRuleChoices } from '../../api/types.ts';
import { AsItIsNow } from '../../components.tsx';
import { ruleInWords } from './journey-rule-words.ts';

/**
 * A journey rule as it is now, in words, beside the form of an admin whose change was refused
 * because someone else changed the rule after they opened it (decision 0079).
 */
export function RuleNow({ rule, choices }: { rule: JourneyRule; choices: JourneyRuleChoices }) {
  const words = ruleInWords(rule, choices);
  const facts = [
    { term: 'When this happens', value: words.milestone },
    { term: 'To', value: words.victims },
    { term: 'For cases', value: words.cases },
    { term: 'Message', value: words.message },
    { term: 'Sent', value: words.when },
    { term: 'Kind', value: words.kind },
    { term: 'Status', value: words.status },
  ];
  return <AsItIsNow heading="The rule as it is now" facts={facts} testId="journey-rule-now" />;
}
