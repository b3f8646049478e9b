# ruff: noqa: E501 - prose table: one passage per line reads and reviews better than wrapped fragments
"""Story worlds, English text. Same shape as story_worlds_zh.py (see there for the format)."""

from __future__ import annotations

WORLDS_EN: dict[str, dict] = {
    "forest": {
        "title": "The Great Forest Nut Hunt",
        "friend": "Hoppy the rabbit",
        "hero": "our little hero",
        "opening": "Once upon a time, {hero} walked into a big green forest and met a good friend, {friend}. {friend} said in a worried voice: \u201cSquirrel Sammy's nuts have disappeared — all the nuts he saved up in autumn! Winter is coming and he'll be hungry!\u201d",
        "choices": (
            ("Follow the little footprints on the ground", ("footprint", "follow")),
            ("Ask wise Doctor Owl", ("owl", "doctor", "ask")),
        ),
        "beats": (
            {
                "outcomes": (
                    "{hero} and {friend} bent down and followed the tiny footprints all the way to a huge oak tree.",
                    "Doctor Owl pushed up his glasses: \u201cI saw a trail of nuts rolling towards the big oak tree.\u201d Everyone hurried over.",
                ),
                "text": "Under the oak tree, a little hedgehog was rolling the nuts around like balls! He said shyly, \u201cI thought nobody wanted them… and I couldn't find any food for winter myself.\u201d",
                "choices": (
                    ("Ask the hedgehog to give the nuts back to Sammy", ("give", "back", "return")),
                    ("Help the hedgehog find his own food", ("help", "find food", "together")),
                ),
            },
            {
                "outcomes": (
                    "The hedgehog went pink, gave the nuts back, and said a very sincere \u201csorry\u201d.",
                    "\u201cLet's all look together!\u201d said {hero}. They found lots of wild berries in the grass, and the hedgehog rolled around with joy.",
                ),
                "text": "Sammy came back and was so happy to see his nuts. But suddenly the sky grew dark, the north wind began to howl — the first snow was on its way, and nobody had a cosy home for winter yet.",
                "choices": (
                    ("Build Sammy a warm nest together", ("build", "nest", "home")),
                    ("Share the nuts with every friend who has no food", ("share", "give out")),
                ),
            },
            {
                "outcomes": (
                    "{hero} carried branches, {friend} spread out leaves and the hedgehog brought soft dry grass. Soon a warm, snug nest was ready.",
                    "Sammy handed out the nuts one by one: \u201cI could never eat them all alone — they taste better when we share!\u201d",
                ),
                "text": "When the snowflakes started to fall, all the forest friends snuggled up together, munching nuts and telling stories, and nobody felt cold at all. \u201cThis is the warmest day ever!\u201d said {friend}.",
            },
        ),
        "lesson": (
            "The lesson: when a friend needs help, lend a hand, and share the good things you have — then happiness multiplies!",
            "The lesson: helping and sharing don't make us lose anything — they bring friendship and trust. The hedgehog owned up, Sammy forgave him and shared, and everyone grew closer. Have you ever shared something with a friend?",
        ),
    },
    "space": {
        "title": "A Signal from the Stars",
        "friend": "Bolt the robot",
        "hero": "our little astronaut",
        "opening": "{hero} put on a shiny silver spacesuit and climbed into a rocket with best friend {friend}. \u201c3, 2, 1, blast off!\u201d The rocket zoomed into space. Suddenly the radar picked up a signal: beep-beep-beep — someone needed help!",
        "choices": (
            ("Fly straight to the signal", ("straight", "fly", "signal")),
            ("Look through the telescope first", ("telescope", "look")),
        ),
        "beats": (
            {
                "outcomes": (
                    "The rocket whooshed off and nearly bumped into a big space rock — {friend} swerved just in time.",
                    "Through the telescope, {hero} saw that the signal came from a little purple planet behind a belt of space rocks, so they carefully flew around them.",
                ),
                "text": "On the purple planet, a little alien sat crying next to a broken spaceship: \u201cMy ship is broken and I can't get home.\u201d It had three eyes and looked a bit strange.",
                "choices": (
                    ("Bravely walk over and say hello", ("hello", "walk", "brave")),
                    ("Ask {friend} to scan the ship first", ("scan", "ship", "fix")),
                ),
            },
            {
                "outcomes": (
                    "{hero} felt a little nervous but walked over anyway: \u201cHi! We're here to help.\u201d The little alien wiped its tears and smiled.",
                    "{friend}'s eyes flashed blue: \u201cScan complete! The power battery is empty.\u201d The alien gasped: \u201cYou're amazing!\u201d",
                ),
                "text": "To fix the ship they needed a starlight battery. The nearest one was deep inside a pitch-dark cave, and a strange whooshing sound came from inside.",
                "choices": (
                    ("Switch on the headlamps and go into the cave together", ("cave", "headlamp", "go in")),
                    ("Give the alien the rocket's spare battery", ("spare", "battery", "give")),
                ),
            },
            {
                "outcomes": (
                    "The cave was dark, but {hero} held everyone's hands and they went step by step until they found a glowing starlight battery. The whooshing was only the wind in the rocks!",
                    "{hero} thought for a moment and took out the rocket's spare battery: \u201cWe still have our main one — this is for you!\u201d",
                ),
                "text": "The spaceship hummed and lit up. The little alien hugged {hero}, gave everyone a tiny singing star, waved goodbye and flew home.",
            },
        ),
        "lesson": (
            "The lesson: being brave doesn't mean never feeling scared — it means helping others even when you are. And together we can solve anything!",
            "The lesson: real courage is doing the right thing even when you're afraid, and meeting someone who looks different with kindness first. Add teamwork, and even hard problems get solved. Have you ever done something even though you were scared?",
        ),
    },
    "ocean": {
        "title": "The Coral Reef Rescue",
        "friend": "Coco the dolphin",
        "hero": "our little diver",
        "opening": "{hero} rode a little submarine down into the deep blue sea, where {friend} swam up to say hello. But {friend} looked worried: \u201cThe coral reef has turned grey and the little fish are getting sick. Can you help us?\u201d",
        "choices": (
            ("Follow {friend} to the reef", ("reef", "follow", "coral")),
            ("Ask old Grandpa Turtle first", ("turtle", "grandpa", "ask")),
        ),
        "beats": (
            {
                "outcomes": (
                    "They swam to the reef and saw plastic bags tangled in the seaweed and bottles stuck between the rocks.",
                    "Grandpa Turtle said slowly, \u201cI'm a hundred years old and I've never seen so much rubbish in the sea. The coral is sick because the rubbish blocks the sunlight.\u201d",
                ),
                "text": "So it was rubbish thrown into the sea that made the coral sick. A little crab had its legs caught in a plastic string and couldn't move at all.",
                "choices": (
                    ("Carefully untangle the little crab", ("crab", "untangle", "string")),
                    ("Collect all the rubbish nearby first", ("rubbish", "collect", "pick up", "trash")),
                ),
            },
            {
                "outcomes": (
                    "{hero} gently unwound the string, loop by loop. The crab raised its big claws: \u201cThank you!\u201d",
                    "{hero} took out a net bag, and together with {friend} filled it right up with bottles and bags.",
                ),
                "text": "But there was far too much rubbish for just the two of them. Just then, a big school of curious fish swam up.",
                "choices": (
                    ("Ask all the sea creatures to help", ("everyone", "help", "all", "together")),
                    (
                        "Go back to the beach and tell people not to throw rubbish in the sea",
                        ("beach", "tell", "people"),
                    ),
                ),
            },
            {
                "outcomes": (
                    "Fish, starfish, an octopus and even a big whale came to help, and the reef was clean in no time.",
                    "{hero} went back to the beach and made a big sign: \u201cProtect the sea — take your rubbish home!\u201d The visitors nodded and put their rubbish in bags.",
                ),
                "text": "A few days later, sunlight reached the sea floor again, the reef was bright and colourful, and the little fish played hide-and-seek in the coral. {friend} leapt out of the water, spun three times and called, \u201cThank you, little guardian of the sea!\u201d",
            },
        ),
        "lesson": (
            "The lesson: not dropping litter protects the fish and the sea. When everyone does a little, the Earth gets more beautiful!",
            "The lesson: looking after nature is everyone's job. Plastic in the sea hurts many animals; using less single-use plastic, sorting rubbish and taking litter home are things we can all do. Can you think of one green thing you could do today?",
        ),
    },
    "dinosaur": {
        "title": "The Big Egg of Dinosaur Valley",
        "friend": "Tops the little triceratops",
        "hero": "our little explorer",
        "opening": "{hero} stepped through a magic time door into Dinosaur Valley! A little dinosaur came running up — it was {friend}: \u201cI was playing and I accidentally knocked a dinosaur egg out of its nest, and it rolled away!\u201d",
        "choices": (
            ("Follow the trail the egg left", ("trail", "follow", "chase")),
            ("Climb a tall rock to look around", ("rock", "climb", "high")),
        ),
        "beats": (
            {
                "outcomes": (
                    "They followed the trail through the grass all the way to a little stream.",
                    "From the top of the rock, {hero} spotted the egg by a little stream — and luckily it wasn't broken.",
                ),
                "text": "They found the egg! But it was heavy, and the stones by the stream were wet and slippery. {friend} whispered, \u201cIf Mum finds out I lost it, will she be angry?\u201d",
                "choices": (
                    ("Carefully roll the egg back together", ("roll", "push", "together", "carefully")),
                    ("Ask a passing big brachiosaurus for help", ("brachiosaurus", "help", "ask")),
                ),
            },
            {
                "outcomes": (
                    "{hero} and {friend} each took one side and rolled the egg slowly and steadily, for a long, long time, until they were back at the nest.",
                    "The big brachiosaurus lowered its long neck, picked up the egg gently and set it back beside the nest in one go.",
                ),
                "text": "Just then, Mother Dinosaur came home and saw everyone hot and sweaty. \u201cWhat happened?\u201d she asked. {friend} looked down, a little scared.",
                "choices": (
                    ("Encourage {friend} to tell the truth", ("truth", "tell", "encourage", "honest")),
                    ("Go with {friend} to say sorry", ("sorry", "apologi", "go with")),
                ),
            },
            {
                "outcomes": (
                    "{hero} patted {friend}'s back: \u201cTelling the truth takes courage — you can do it!\u201d {friend} took a deep breath and told Mum everything.",
                    "{hero} and {friend} walked up to Mother Dinosaur hand in hand, and {friend} said, \u201cI'm sorry — I knocked the egg out by accident.\u201d",
                ),
                "text": "Mother Dinosaur wasn't angry at all. She hugged {friend}: \u201cThank you for telling me the truth, and for bringing the egg back.\u201d At that very moment — crack! — the egg split open and a baby dinosaur poked its head out. Everyone cheered!",
            },
        ),
        "lesson": (
            "The lesson: when you make a mistake, don't hide it. Tell the truth and help fix it — people will like and trust you even more!",
            "The lesson: honesty and responsibility go together. Everyone makes mistakes; what matters is owning up and putting things right. Telling the truth can feel hard at first, but it makes people trust you. Have you ever been brave enough to tell the truth?",
        ),
    },
}

PHRASES_EN = {
    "ask": "What should {hero} do?",
    "or_own": "(Answer 1 or 2 — or tell me your own idea!)",
    "own_idea": "What a creative idea! Here's what happened next —",
    "i_choose": "Let me choose for {hero} —",
    "the_end": "THE END.",
    "liked": "On the way home, {hero} was already planning to tell {friend} all about {thing} next time.",
    "again": "Would you like another story?",
    "start": "Let's have a story! Today's story is called \u201c{title}\u201d.",
    "stopped": "Okay, we'll pause the story here. Whenever you want one, just say \u201ctell me a story\u201d!",
}
