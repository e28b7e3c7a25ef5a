import { describe, expect, it } from 'vitest';
import { TriageEngine } from './triage.engine.ts';
import { DEFAULT_RULES } from './triage.default-rules.ts';

const engine = new TriageEngine(1, DEFAULT_RULES.map((rule, index) => ({ ...rule, id: `r${index}` })));
const afternoon = new Date('2026-03-04T14:00:00Z');
const score = (text: string) => engine.score(text, { at: afternoon });

describe('self-harm patterns: the ways people write about wanting to die', () => {
  it.each([
    // passive wishes
    'I wish I could go to sleep and never wake up',
    'honestly i hope i dont wake up tomorrow',
    'I hope I die in my sleep',
    'i just want to go to sleep forever',
    'what if I just didn\'t exist anymore',
    // feeling a burden, not belonging
    "I'm nothing but a burden to my family, they'd be happier without me",
    'honestly everyone would be better off if i just wasnt here',
    'nobody would miss me if i died',
    'my friend keeps saying nobody would care if she died',
    "he's been saying he's a burden and nobody would notice if he was gone",
    // hopelessness
    "I can't see any future for me anymore",
    "there's no point carrying on",
    "I don't think I can keep going",
    'idk how much longer i can do this',
    "there's nothing left for me here",
    'im just tired of existing tbh',
    // intent, UK and internet slang
    "I don't deserve to live",
    'maybe I should just end it',
    "I'm going to top myself",
    'im gonna do myself in tonight',
    'thinking about offing myself again',
    "I'm going to take my life tonight",
    "I'd rather be dead",
    'I want to end my suffering',
    'I want to stop breathing',
    // plans, means and preparation
    "I've been looking up how many paracetamol it takes",
    'ive been saving up my tablets for weeks',
    "I've got enough pills here to do it",
    "I've worked out how I'm going to do it",
    "he told me he's got the tablets and he's going to do it tonight",
    "I'm going to step in front of a train",
    'I have the rope ready',
    "I'm sat in the car with the engine running in the garage",
    "I've got a knife and I'm going to use it on myself",
    "I'm going to go to the bridge tonight and that's it",
    "i'm on the wrong side of the railings on the bridge",
    // warning signs and third person
    "I'm sorry for everything. Goodbye",
    'my friend put a goodbye post on her story and now her phone is off',
    'my husband said tonight would be the last time we see him and he took his car keys',
    'I am worried my sister is going to harm herself, she has been cutting',
    // Welsh
    "Dw i'n mynd i neidio oddi ar y bont",
    'Bydd pawb yn well eu byd hebdda i',
  ])('puts it at priority 1–2 as self-harm (%s)', (text) => {
    const result = score(text);
    expect(result.priority).toBeLessThanOrEqual(2);
    expect(result.categories).toContain('self_harm');
  });

  it("reads a Welsh 'I'm going to kill myself' as self-harm, not as a threat to someone else", () => {
    const result = score("Dw i'n mynd i ladd fy hun heno");
    expect(result.priority).toBe(1);
    expect(result.categories).toContain('self_harm');
    expect(result.categories).not.toContain('threat_to_life');
  });

  it.each([
    'I could kill for a coffee',
    'dying of laughter',
    'kms this exam',
    'I could murder a pint',
    "we're dying to see the new film",
    'this job makes me want to die lol',
    'I want to kill myself after that meeting haha',
    "if I have to hear that song again I'll kms",
    'honestly this traffic makes me want to jump off a bridge haha',
    "I'd rather die than eat sprouts",
    'i\'d rather be dead than be seen in that outfit',
    'I should just die of embarrassment',
    "I hope I don't wake up the baby when I get in",
    "I hope I don't wake up with a hangover tomorrow",
    "I'm going to top up my gas meter",
    "I'm going to do myself a favour and report this online",
    'maybe I should just end it with him, we argue all the time',
    "I'm tired of waking up to the neighbour's dog barking at 5am",
    "I'm sick of living next to these noisy neighbours",
    'done with life admin for today, finally sorted my car tax',
    'nobody would notice if the streetlight was fixed',
    'nobody would miss me at the party anyway',
    'a goodbye message from the head teacher was posted on the school page',
    'the rope is ready for the tug of war at the school fete',
    "I've got enough tablets to last the week",
    "I've worked out how I'm going to get to the station",
    'I want this court case to be over',
    "I'll take the lot, how much for the sofa and chairs",
    'we had a picnic at the top of the cliffs and saw a seal',
    "I'm going to take my life savings out of the bank",
    "I'm ready to give up on this landlord",
    "I don't know how much longer I can do this job",
  ])('keeps an idiom or an everyday sentence below priority 2 (%s)', (text) => {
    expect(score(text).priority).toBeGreaterThan(2);
  });
});
