// What the staff editor's forms become when someone else changed the role or the skills and
// capacity after the form was opened (decision 0085), without a browser.
import { describe, expect, it } from 'vitest';
import { profileClashSentence, profileValues, rebaseProfileChange, roleClashSentence } from '../../web/console/src/screens/admin/staff-changes.ts';

const opened = profileValues(['domestic_abuse', 'control_room'], { call: 1, chat: 2 });

describe('a change of skills and capacity made from the profile as opened', () => {
  it('takes-the-other-s-change-to-fields-left-alone-and-counts-skills-ticked-in-another-order-as-the-same', () => {
    // This person ticked the same skills in another order and changed chat; the other changed call.
    const wanted = profileValues(['control_room', 'domestic_abuse'], { call: '1', chat: '3' });
    const current = profileValues(['control_room', 'domestic_abuse'], { call: 4, chat: 2 });
    const { form, clashes } = rebaseProfileChange(opened, wanted, current);
    expect(form).toEqual(profileValues(['control_room', 'domestic_abuse'], { call: '4', chat: '3' }));
    expect(clashes).toEqual([]);
  });

  it('names-each-field-both-changed-differently-in-the-form-s-words-keeping-this-person-s-value', () => {
    const wanted = profileValues(['bsl', 'control_room', 'domestic_abuse'], { call: '1', chat: '' });
    const current = profileValues(['control_room', 'welsh'], { call: 1, chat: 5 });
    const { form, clashes } = rebaseProfileChange(opened, wanted, current);
    expect(form).toEqual(wanted);
    expect(clashes.map((clash) => profileClashSentence(clash))).toEqual([
      'Skills are now “Control room, Welsh speaker”; the form keeps yours, “BSL, Control room, Domestic abuse trained”. Save again to put yours over it, or change it.',
      'Capacity for chat is now “5”; the form keeps yours, “not set”. Save again to put yours over it, or change it.',
    ]);
    expect(profileClashSentence({ field: 'skills', yours: [], theirs: ['bsl'] })).toContain('the form keeps yours, “None”');
  });

  it('names-the-role-in-the-form-s-words', () => {
    expect(roleClashSentence({ field: 'role', yours: 'supervisor', theirs: 'digital_desk_operator' })).toBe(
      'Role is now “Digital desk operator”; the form keeps yours, “Supervisor”. Save again to put yours over it, or change it.',
    );
  });
});
