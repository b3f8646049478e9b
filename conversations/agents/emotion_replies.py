# ruff: noqa: E501 - prose table: one reply per line reads and reviews better than wrapped fragments
"""What the emotion agent says, per feeling and language: the strategy's building blocks.

Why a table: the words are the product here. Child-development guidance for ages 5–12 is consistent —
validate and name the feeling, give one concrete coping idea sized for the age (breathing, a hug, drawing
it for the young; writing, planning, "I feel … because …" for the older), invite the child to talk, and
bring in a trusted adult when a hard feeling is strong. Reviewers can edit this file without touching code.
"""

from __future__ import annotations

SEP = {"zh": "", "en": " "}

# (upper bound of intensity, Chinese degree word, English degree word) for "{degree}" in validate lines.
DEGREES = ((0.45, "有一点", "a little "), (0.65, "挺", ""), (0.85, "很", "really "), (1.01, "非常", "very, very "))

STRATEGIES: dict[str, dict[str, dict[str, tuple[str, ...]]]] = {
    "sad": {
        "zh": {
            "validate": (
                "听起来你{degree}难过，谢谢你愿意告诉我。",
                "我能感觉到你{degree}难过。把难过说出来，本身就是很勇敢的一步。",
            ),
            "cope_young": (
                "我们一起做三次深呼吸好不好？吸气——1、2、3，呼气——1、2、3、4。",
                "抱一抱你最喜欢的玩偶，或者请爸爸妈妈抱抱你，会感觉暖暖的。",
            ),
            "cope_older": (
                "可以试着把心里的感受写下来或者画出来，写完以后心里常常会轻松一点。",
                "难过的时候，出去走一走、听一首喜欢的歌，或者和信任的人聊一聊，都会有帮助。",
            ),
            "invite": ("你愿意跟我说说发生了什么吗？", "是什么事情让你难过呢？我在这里听你说。"),
        },
        "en": {
            "validate": (
                "It sounds like you feel {degree}sad. Thank you for telling me.",
                "I can tell you're feeling {degree}sad. Saying it out loud is a brave first step.",
            ),
            "cope_young": (
                "Shall we take three slow breaths together? Breathe in — 1, 2, 3. Breathe out — 1, 2, 3, 4.",
                "A big hug from your favourite cuddly toy, or from Mum or Dad, can help you feel warm inside.",
            ),
            "cope_older": (
                "Try writing or drawing what you feel — putting it on paper often makes it feel lighter.",
                "A short walk, a song you love, or talking with someone you trust can all help when you're sad.",
            ),
            "invite": ("Would you like to tell me what happened?", "What made you feel sad? I'm here to listen."),
        },
    },
    "angry": {
        "zh": {
            "validate": ("听起来你{degree}生气。生气是很正常的感觉，每个人都会生气。", "你{degree}生气，我明白。"),
            "cope_young": (
                "生气的时候，我们可以先停一停，像吹蜡烛一样慢慢呼气，数到 10。生气可以，但不打人、不摔东西哦。",
                "可以用力捏一捏枕头，或者跺跺脚，把生气的力气用在安全的地方。",
            ),
            "cope_older": (
                "可以先离开让你生气的地方，深呼吸，等冷静下来，再用“我觉得……因为……”的方式说出你的想法。",
                "生气的时候先别急着做决定，数到 10、喝口水，冷静以后再去解决问题会更好。",
            ),
            "invite": ("是什么事情让你这么生气呢？", "想跟我说说发生了什么吗？"),
        },
        "en": {
            "validate": (
                "It sounds like you feel {degree}angry. Being angry is normal — everyone feels it sometimes.",
                "You're {degree}angry, and I get it.",
            ),
            "cope_young": (
                "When you're angry, stop for a moment and breathe out slowly, like blowing out candles, while you "
                "count to 10. It's okay to be angry, but we don't hit or break things.",
                "Squeeze a pillow really hard or stomp your feet — put the angry energy somewhere safe.",
            ),
            "cope_older": (
                "Step away for a moment, take a few deep breaths, and when you're calmer, try saying "
                "\u201cI feel … because …\u201d.",
                "Don't decide anything while you're angry: count to 10, drink some water, then solve the problem.",
            ),
            "invite": ("What made you so angry?", "Do you want to tell me what happened?"),
        },
    },
    "scared": {
        "zh": {
            "validate": ("听起来你{degree}害怕。害怕的时候想找人陪，是很正常的。", "你{degree}害怕，我在这里陪着你。"),
            "cope_young": (
                "可以抱紧你的小被子或玩偶，去找爸爸妈妈，让他们陪陪你。",
                "我们一起慢慢吸气、慢慢呼气，像小气球一样，身体就会放松下来。",
            ),
            "cope_older": (
                "试试“五感法”：说出你看到的 5 样东西、摸到的 4 样东西、听到的 3 种声音，身体会慢慢放松下来。",
                "害怕的时候，可以告诉自己：“我现在是安全的。”再去找一个信任的大人说一说。",
            ),
            "invite": ("是什么让你害怕呢？说出来，它就没那么可怕了。", "你愿意告诉我你在怕什么吗？"),
        },
        "en": {
            "validate": (
                "It sounds like you feel {degree}scared. Wanting someone close when you're scared is normal.",
                "You're {degree}scared — I'm right here with you.",
            ),
            "cope_young": (
                "Hold your blanket or cuddly toy tight and go find Mum or Dad so they can stay with you.",
                "Let's breathe in slowly and out slowly, like a little balloon, until your body feels calmer.",
            ),
            "cope_older": (
                "Try the 5-4-3 trick: name 5 things you can see, 4 you can touch and 3 you can hear. "
                "It helps your body calm down.",
                "Tell yourself, \u201cI am safe right now,\u201d and then talk to an adult you trust.",
            ),
            "invite": (
                "What is scaring you? Saying it out loud can make it feel smaller.",
                "Would you like to tell me what you're afraid of?",
            ),
        },
    },
    "surprised": {
        "zh": {
            "validate": ("哇，真让人吃惊！", "哇，真没想到！听起来你{degree}惊讶。"),
            "cope_young": ("惊喜的事情最适合和家人分享啦。",),
            "cope_older": ("有时候意外的事情会让我们学到新东西。",),
            "invite": ("快告诉我发生了什么，我也好想知道！", "然后呢？后来怎么样了？"),
        },
        "en": {
            "validate": ("Wow, that's surprising!", "Whoa, I didn't see that coming! You sound {degree}surprised."),
            "cope_young": ("Surprises are great to share with your family.",),
            "cope_older": ("Unexpected things can teach us something new.",),
            "invite": ("Tell me what happened — I really want to know!", "And then? What happened next?"),
        },
    },
    "disgusted": {
        "zh": {
            "validate": ("嗯，那听起来确实让人觉得很不舒服。", "咦，听起来{degree}恶心！有这种感觉很正常。"),
            "cope_young": ("可以先离开那里，去洗洗手、喝口水。",),
            "cope_older": ("可以先离开那里，呼吸点新鲜空气；如果是脏东西，记得告诉大人来处理。",),
            "invite": ("是什么东西让你觉得恶心呀？", "发生了什么事呢？"),
        },
        "en": {
            "validate": ("Eww, that does sound unpleasant.", "Yuck! Feeling {degree}grossed out like that is normal."),
            "cope_young": ("Step away from it, wash your hands and have a drink of water.",),
            "cope_older": ("Step away and get some fresh air; if something is dirty, let an adult deal with it.",),
            "invite": ("What was so gross?", "What happened?"),
        },
    },
    "anxious": {
        "zh": {
            "validate": (
                "听起来你{degree}紧张、担心。会担心，说明你很在乎这件事。",
                "你{degree}担心，我明白，这种心里七上八下的感觉不好受。",
            ),
            "cope_young": (
                "我们来做“气球呼吸”：慢慢吸气，让肚子像气球一样鼓起来，再慢慢呼气，把气球放瘪。做三次试试。",
                "可以握紧拳头数到 5，再松开，感觉身体变软软的，紧张就会少一点。",
            ),
            "cope_older": (
                "可以把担心的事写下来，分成“我能做的”和“我控制不了的”两栏，先去做一件能做的小事。",
                "紧张的时候，试试慢慢吸气 4 秒、停 4 秒、呼气 4 秒，重复几次，心跳会慢下来。",
            ),
            "invite": ("你在担心什么呢？我们一起想想办法。", "愿意跟我说说让你紧张的事吗？"),
        },
        "en": {
            "validate": (
                "It sounds like you feel {degree}worried. Worrying shows you really care about this.",
                "You're feeling {degree}nervous — that jittery feeling isn't nice, I know.",
            ),
            "cope_young": (
                "Let's do balloon breathing: breathe in slowly so your tummy fills up like a balloon, then let the "
                "air out slowly. Let's do it three times.",
                "Squeeze your fists tight while you count to 5, then let go and feel your body go floppy.",
            ),
            "cope_older": (
                "Write your worries down in two columns — \u201cthings I can do\u201d and \u201cthings I can't "
                "control\u201d — then do one small thing from the first column.",
                "Try box breathing: in for 4 seconds, hold for 4, out for 4. A few rounds slow your heart down.",
            ),
            "invite": (
                "What are you worried about? Let's think about it together.",
                "Want to tell me what's making you nervous?",
            ),
        },
    },
    "lonely": {
        "zh": {
            "validate": ("听起来你{degree}孤单。想要有人陪，是每个人都会有的感觉。", "你{degree}孤单，谢谢你告诉我。"),
            "cope_young": ("可以去找爸爸妈妈或者家里人一起玩个游戏，或者画一幅画送给你想念的人。",),
            "cope_older": (
                "可以主动邀请一位同学一起做件小事，比如一起看书、跳绳；也可以给想念的人打个电话。",
                "参加一个喜欢的兴趣小组，是认识新朋友的好办法。",
            ),
            "invite": ("我在这里陪你聊天。你想聊点什么呢？", "跟我说说你今天过得怎么样吧？"),
        },
        "en": {
            "validate": (
                "It sounds like you feel {degree}lonely. Everyone wants company sometimes.",
                "You're feeling {degree}lonely — thank you for telling me.",
            ),
            "cope_young": (
                "Ask Mum, Dad or someone at home to play a game with you, or draw a picture for someone you miss.",
            ),
            "cope_older": (
                "Try inviting a classmate to do something small together, like reading or skipping; or call someone "
                "you miss.",
                "Joining a club for something you enjoy is a great way to meet new friends.",
            ),
            "invite": ("I'm here to chat with you. What would you like to talk about?", "How was your day?"),
        },
    },
    "excited": {
        "zh": {
            "validate": ("哇，听起来你{degree}兴奋！", "好棒呀，我都感受到你{degree}激动了！"),
            "cope_young": ("兴奋的时候可以跳一跳、拍拍手，再深呼吸一下让自己平静下来。",),
            "cope_older": ("可以给期待的事情做个小计划，到时候会更顺利！",),
            "invite": ("是什么让你这么期待呀？", "快跟我说说！"),
        },
        "en": {
            "validate": ("Wow, you sound {degree}excited!", "Yay — I can feel how {degree}excited you are!"),
            "cope_young": ("Jump, clap your hands, then take a deep breath to settle down a little.",),
            "cope_older": ("Make a little plan for the thing you're looking forward to — it'll go even better!",),
            "invite": ("What are you looking forward to?", "Tell me all about it!"),
        },
    },
    "happy": {
        "zh": {
            "validate": ("哇，听起来你{degree}开心！我也替你高兴！", "太好了，你{degree}开心，我也跟着开心起来了！"),
            "cope_young": ("可以把这份开心讲给爸爸妈妈听，开心分享出去会变成双倍哦！",),
            "cope_older": ("开心的时刻值得记下来，可以写进日记里，以后翻看还会笑。",),
            "invite": ("是什么事让你这么开心呀？快跟我说说！", "发生了什么好事呀？"),
        },
        "en": {
            "validate": (
                "Yay, you sound {degree}happy! That makes me happy too!",
                "How wonderful that you feel {degree}happy!",
            ),
            "cope_young": ("Tell Mum or Dad about it — happiness doubles when you share it!",),
            "cope_older": ("Happy moments are worth writing down in a diary — you'll smile reading it later.",),
            "invite": ("What made you so happy? Tell me!", "What good thing happened?"),
        },
    },
    "confused": {
        "zh": {
            "validate": ("不明白是很正常的，聪明的人也常常会遇到想不通的事。", "有点糊涂了是吧？没关系，我们慢慢来。"),
            "cope_young": ("我们可以一步一步来，把难题拆成一小块一小块。",),
            "cope_older": ("可以先把已经知道的写下来，再找出到底是哪一步卡住了。",),
            "invite": ("你是哪里不明白呢？把题目或者问题告诉我，我们一起看看。",),
        },
        "en": {
            "validate": (
                "Not understanding something is totally normal — even clever people get stuck.",
                "Feeling a bit muddled? That's okay, we'll go slowly.",
            ),
            "cope_young": ("We can go one small step at a time.",),
            "cope_older": ("Write down what you already know, then find the exact step where you got stuck.",),
            "invite": ("Which part is confusing? Tell me the question and we'll look at it together.",),
        },
    },
}

CONTINUE: dict[str, dict[str, tuple[str, ...]]] = {
    "zh": {
        "listen": ("谢谢你告诉我这些，我在认真听。", "嗯嗯，我明白了。"),
        "because": ("原来是这样。遇到这样的事，有这种感觉很正常。", "谢谢你告诉我原因，这样我更明白你的感受了。"),
        "invite": ("那时候你心里是什么感觉呢？", "后来怎么样了？", "你希望事情变成什么样子呢？"),
    },
    "en": {
        "listen": ("Thank you for telling me. I'm listening.", "I see."),
        "because": (
            "Ah, I see. Feeling that way after something like that is completely normal.",
            "Thanks for telling me why — now I understand better.",
        ),
        "invite": ("How did you feel at that moment?", "What happened after that?", "How would you like things to be?"),
    },
}

BREATHING = {
    "zh": ("我们先一起慢慢吸一口气，再慢慢呼出来。",),
    "en": ("Let's take one slow breath in together, and let it out slowly.",),
}
TRUSTED_ADULT = {
    "zh": "这种感受很重要，不用一个人扛着，也可以告诉爸爸妈妈、老师或者你信任的大人，他们会愿意帮你。",
    "en": "This feeling matters, and you don't have to carry it alone — you can also tell Mum, Dad, a teacher or "
    "another adult you trust. They will want to help.",
}
ESCALATE = {
    "zh": "你现在的感受真的很重要。请现在就去找一位你信任的大人——爸爸妈妈、老师或者家里的其他大人——告诉他们你的感受。"
    "你不用一个人面对。",
    "en": "What you're feeling really matters. Please go to an adult you trust right now — Mum, Dad, a teacher or "
    "another grown-up at home — and tell them how you feel. You don't have to face this alone.",
}
STAY = {"zh": "我也会一直在这里陪你说话。", "en": "I'm here to keep talking with you too."}
LIKED = {
    "zh": "做一件让你开心的事也会有帮助，比如和{thing}有关的事。",
    "en": "Doing something you love, like {thing}, can help too.",
}
AI_FRIEND = {
    "zh": "我是一个 AI 小伙伴，很愿意陪你聊天；身边的家人和朋友也会很想陪着你。",
    "en": "I'm an AI friend and I love chatting with you — and the people around you would love to spend time with you too.",
}
