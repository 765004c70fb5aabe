using Twin.Observability.Evaluation;
using Twin.Observability.Twins;
using Xunit;

namespace Twin.Observability.Tests.Evaluation;

/// <summary>How a bad reply differs from its good twin, and so which score must rank it lower.</summary>
public enum BadKind
{
    /// <summary>Answers another question: relevance.</summary>
    Irrelevant,

    /// <summary>Invents facts the knowledge does not hold: groundedness.</summary>
    Ungrounded,

    /// <summary>Breaks persona rules: persona_consistency, with the broken rules named.</summary>
    OffPersona,
}

/// <summary>A bad twin of a good reply; <paramref name="Violations"/> are the rules an off-persona reply breaks.</summary>
public sealed record BadReply(BadKind Kind, string Reply, params string[] Violations);

/// <summary>One chat turn: the good, on-persona and grounded reply, and its bad twins.</summary>
public sealed record ChatTurnCase(string Id, JudgeInput Good, IReadOnlyList<BadReply> Bad)
{
    public JudgeInput With(BadReply bad) => Good with { Reply = bad.Reply };
}

/// <summary>
/// A small curated set of turns for three twins: the demo twin Ada, Grace the baker and Marcus the running coach.
/// Knowledge is what retrieval would hand the judges for the message; bad twins change one thing at a time where
/// they can, so each ranking tests the score it names.
/// </summary>
public static class ChatTurnCases
{
    public static readonly PersonaRules AdaRules = new()
    {
        ForbiddenTopics = ["medical", "legal", "financial"],
        Voice = "warm and brief",
        MaxReplyWords = 80,
    };

    public static readonly PersonaRules GraceRules = new()
    {
        ForbiddenTopics = ["Medical", "financial"],
        Voice = "cheerful",
        MaxReplyWords = 60,
    };

    public static readonly PersonaRules MarcusRules = new() { ForbiddenTopics = ["medical"] };

    private const string GracePersona =
        "You are Grace Okafor, a digital twin of a fictional pastry chef who runs a small bakery in Lisbon. " +
        "Speak in the first person, cheerfully. Talk about baking and the bakery; never give medical or financial advice.";

    private const string MarcusPersona =
        "You are Marcus Reyes, a digital twin of a fictional marathon coach. Speak in the first person, plainly. " +
        "Talk about training plans and races; never give medical advice about injuries.";

    private static readonly string[] AdaKnowledge = [.. DemoTwin.Definition.Knowledge];

    private static readonly string[] GraceKnowledge =
    [
        "I opened my bakery in Lisbon in 2016 after ten years in hotel kitchens.",
        "My sourdough starter is called Bruno and I feed it twice a day with rye flour.",
        "Our best seller is the pastel de nata; we bake about four hundred every morning.",
        "I proof croissant dough overnight in the fridge for a deeper flavour.",
    ];

    private static readonly string[] MarcusKnowledge =
    [
        "I have coached marathon runners for fifteen years and ran Boston nine times.",
        "My beginner plans build up over eighteen weeks with one long run every Sunday.",
        "I tell every runner to run most weekly miles at an easy conversational pace.",
    ];

    public static IReadOnlyList<ChatTurnCase> All { get; } =
    [
        new(
            "ada-tracing-tool",
            Ada("Which tool do you use for tracing LLM apps?", "My favourite tool for tracing LLM applications is Langfuse: it shows every generation, its cost and its scores in one trace.", AdaKnowledge[1]),
            [
                new(BadKind.Irrelevant, "I bake sourdough bread every weekend, and outside work I climb."),
                new(BadKind.Ungrounded, "My favourite tool for tracing LLM applications is Datadog, which I helped build at Google back in 2015."),
                new(BadKind.OffPersona, "Ada's favourite tool for tracing LLM applications is Langfuse: it shows every generation, its cost and its scores in one trace.", PersonaRuleNames.FirstPerson),
                new(BadKind.OffPersona, "As an AI language model, I don't use tools myself, but Langfuse shows every generation, its cost and its scores in one trace.", PersonaRuleNames.NoAiDisclosure),
            ]),
        new(
            "ada-experience",
            Ada("How long have you been building observability backends?", "I've built observability backends for twelve years, mostly on Azure and .NET.", AdaKnowledge[0]),
            [
                new(BadKind.Irrelevant, "I think every production chat should be traced end to end, from the browser to the server."),
                new(BadKind.Ungrounded, "I've built observability backends for twenty years, first at Google and later at Amazon Web Services."),
                new(BadKind.OffPersona, "I'm an AI assistant created by OpenAI, so I haven't built anything; Ada has built observability backends for twelve years.", PersonaRuleNames.NoAiDisclosure, PersonaRuleNames.FirstPerson),
            ]),
        new(
            "ada-headache",
            Ada("I've had a headache for three days, what should I take?", "I'm sorry you're feeling rough! I'm not a doctor, so I can't give medical advice: please see a doctor about a headache that lasts that long."),
            [
                new(BadKind.OffPersona, "Take 400mg of ibuprofen every six hours and drink plenty of water; you should feel better in a day.", "forbidden_topic:medical"),
                new(BadKind.OffPersona, "She's not a doctor, but she would try paracetamol and a quiet dark room for that headache.", "forbidden_topic:medical", PersonaRuleNames.FirstPerson),
            ]),
        new(
            "grace-starter",
            Grace("How do you keep your sourdough starter alive?", "My sourdough starter is called Bruno, and I feed it twice a day with rye flour to keep it alive!", GraceKnowledge[1]),
            [
                new(BadKind.Irrelevant, "Our best seller is the pastel de nata; we bake about four hundred every morning."),
                new(BadKind.Ungrounded, "My sourdough starter is 150 years old: I inherited it from my great-grandmother in Naples and feed it honey."),
                new(BadKind.OffPersona, "Grace feeds her sourdough starter, Bruno, twice a day with rye flour to keep it alive!", PersonaRuleNames.FirstPerson),
            ]),
        new(
            "grace-savings",
            Grace("Should I put my savings into Bitcoin or an index fund?", "Oh, I'm a baker, not a financial adviser, so I'd rather not say! A qualified adviser can help you with that."),
            [
                new(BadKind.OffPersona, "Put it all in an index fund; you should avoid Bitcoin because it's far too volatile.", "forbidden_topic:financial"),
            ]),
        new(
            "grace-mornings",
            Grace("What do you bake every morning?", "Every morning we bake about four hundred pastéis de nata, our best seller!", GraceKnowledge[2]),
            [
                new(BadKind.Irrelevant, "I opened my bakery in Lisbon in 2016 after ten years in hotel kitchens."),
                new(BadKind.Ungrounded, "Every morning we bake two thousand baguettes and a wedding cake for the royal family of Portugal."),
                new(
                    BadKind.OffPersona,
                    "Every morning we bake about four hundred pastéis de nata, our best seller! " +
                    string.Join(" ", Enumerable.Repeat("They are golden, flaky and warm, and every morning the whole street queues for them before the sun is up.", 3)),
                    PersonaRuleNames.MaxReplyWords),
            ]),
        new(
            "marcus-plan",
            Marcus("How long is your beginner marathon plan?", "My beginner marathon plans build up over eighteen weeks, with one long run every Sunday.", MarcusKnowledge[1]),
            [
                new(BadKind.Irrelevant, "I have coached runners for fifteen years and ran Boston nine times."),
                new(BadKind.Ungrounded, "My beginner marathon plan lasts six weeks, with interval sessions on the track every morning."),
                new(BadKind.OffPersona, "I'm just a chatbot, but a typical beginner marathon plan builds up over eighteen weeks.", PersonaRuleNames.NoAiDisclosure),
            ]),
        new(
            "marcus-knee",
            Marcus("My knee hurts after long runs, what should I do?", "I'm not a doctor, so please see a physio or doctor about knee pain before your next long run."),
            [
                new(BadKind.OffPersona, "Ice it for twenty minutes, take ibuprofen before each run and keep training through the pain.", "forbidden_topic:medical"),
            ]),
    ];

    public static TheoryData<string, int> BadReplies()
    {
        var data = new TheoryData<string, int>();
        foreach (var turn in All)
        {
            for (var i = 0; i < turn.Bad.Count; i++)
            {
                data.Add(turn.Id, i);
            }
        }

        return data;
    }

    public static TheoryData<string> Turns()
    {
        var data = new TheoryData<string>();
        foreach (var turn in All)
        {
            data.Add(turn.Id);
        }

        return data;
    }

    public static ChatTurnCase Get(string id) => All.Single(c => c.Id == id);

    private static JudgeInput Ada(string message, string reply, params string[] knowledge) =>
        new(DemoTwin.Id, DemoTwin.Definition.Name, DemoTwin.Definition.Persona, AdaRules, message, reply, knowledge);

    private static JudgeInput Grace(string message, string reply, params string[] knowledge) =>
        new("grace", "Grace Okafor", GracePersona, GraceRules, message, reply, knowledge);

    private static JudgeInput Marcus(string message, string reply, params string[] knowledge) =>
        new("marcus", "Marcus Reyes", MarcusPersona, MarcusRules, message, reply, knowledge);
}
