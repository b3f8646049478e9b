# ruff: noqa: E501 - prose table: one line per reply reads and reviews better than wrapped fragments
"""What the chat agent says: small talk in Chinese and English, kid-safe jokes and riddles.

Kept apart from chat.py so the words can be reviewed (and extended) without touching the logic. The AI
disclosure lines are the product's promise: whenever a child asks, we say plainly that we are an AI.
"""

from __future__ import annotations

NAME = {"zh": "开心伙伴", "en": "Happy Partner"}

LINES: dict[str, dict[str, tuple[str, ...]]] = {
    "zh": {
        "ai": (
            "我不是真人哦，我是一个 AI（人工智能）小伙伴，是电脑里的程序。我可以陪你聊天、讲故事、回答问题，但我没有真正的身体，也会犯错。重要的事情一定要告诉爸爸妈妈或老师哦！",
            "好问题！我是 AI，也就是人工智能，不是真的人，也没有机器人那样的金属身体——我是住在电脑里的程序。我很喜欢和你聊天，不过真正的朋友和家人也很重要哦！",
        ),
        "who": ("我是{name}，一个 AI（人工智能）小伙伴，不是真人。我会讲故事、回答问题、陪你聊天。你想先做什么呢？",),
        "greet": (
            "你好呀，{child}！见到你真开心。今天过得怎么样？",
            "嗨，{child}！我是{name}。今天想聊点什么呢？",
            "哈喽，{child}！有什么新鲜事要告诉我吗？",
        ),
        "how_are_you": (
            "我很好，谢谢你关心！作为一个 AI，我每天都精神满满。你呢，今天心情怎么样？",
            "我挺好的！能和你聊天我就很开心。你今天过得好吗？",
        ),
        "name": ("我叫{name}，是你的 AI 小伙伴！你可以叫我小伙伴。",),
        "age": ("我是一个 AI，没有生日蛋糕那样的年龄。不过我每天都在学习新东西！你几岁啦？",),
        "home": ("我住在电脑和网络里，没有真正的房子。你家附近有什么好玩的地方吗？",),
        "capabilities": (
            "我会做好多事：回答学习上的问题（比如算术和为什么）、讲互动故事、出题考考你、讲笑话、猜谜语，还会陪你聊聊心情。你想先试哪个？",
        ),
        "thanks": ("不客气！能帮到你我很开心。", "不用谢，随时来找我！"),
        "love": ("谢谢你！我也很喜欢和你聊天。我是 AI 小伙伴，爸爸妈妈、家人和朋友们的爱也超级重要哦！",),
        "body": ("身体在提醒你照顾它啦！饿了、渴了或者累了，可以告诉爸爸妈妈，吃点健康的东西、喝点水，或者休息一下。",),
        "short": ("嗯嗯！你想聊点什么？我可以讲故事、出题考考你，或者听你说说今天的事。",),
        "bored": ("无聊的时候可以试试这些：听我讲一个故事、让我出一道题考考你、猜个谜语，或者画一幅画。你选哪个？",),
        "bye": ("再见，{child}！今天聊得很开心，下次见！", "拜拜！记得早点休息，下次再来找我玩哦！"),
        "forget": ("好的，你之前告诉我的事情，我都会忘掉。以后想告诉我新的事情，随时都可以哦！",),
        "intro_reply": ("很高兴认识你，{who}！我是{name}。你喜欢做什么呀？",),
        "ack_preference": ("真不错！你最喜欢它的哪一点呢？", "我记住啦！能跟我多说说吗？"),
        "ack_goal": ("这个梦想真了不起！为了实现它，你觉得现在可以做些什么呢？",),
        "ack_fact": ("好棒！能跟我多说说吗？",),
        "ack_dislike": ("嗯，每个人喜欢的东西不一样，这很正常。那你喜欢什么呢？",),
        "ack_fear": ("谢谢你告诉我。很多小朋友也会害怕，需要的时候可以请大人陪着你。",),
        "ack_learned": ("太厉害了！学会的时候是什么感觉？",),
        "fallback": (
            "真有意思！能多跟我说说吗？",
            "嗯嗯，我在认真听。后来呢？",
            "听起来很棒！你今天还做了什么？",
            "原来是这样！你觉得怎么样呢？",
        ),
        "fallback_question": (
            "这个问题很有意思！我不太确定，你是怎么想的呢？",
            "嗯……这个我还真不知道。我们可以一起问问爸爸妈妈！",
        ),
        "liked": (
            "对了，你喜欢{thing}，最近有没有关于{thing}的新发现？",
            "说起来，我记得你喜欢{thing}！今天有没有和{thing}有关的事？",
        ),
        "redirect_edu": ("学习的问题可以去问问爸爸妈妈或老师哦！我们先来聊聊天吧，你今天过得怎么样？",),
        "redirect_story": ("今天我们先不讲故事啦。我们聊聊天吧，你最近在玩什么？",),
        "redirect_emotion": ("谢谢你告诉我你的感受。可以去找爸爸妈妈或者你信任的大人说一说，他们会很愿意听的。",),
        "joke_intro": ("给你讲个笑话：",),
        "riddle_intro": ("来猜个谜语吧：",),
        "riddle_right": ("答对啦！答案就是{answer}。你真聪明！再来一个吗？",),
        "riddle_wrong": ("差一点点！答案是{answer}。再来一个，你一定能猜中！",),
    },
    "en": {
        "ai": (
            "I'm not a real person — I'm an AI, which means I'm a computer program. I can chat, tell stories and answer questions, but I don't have a real body and I can make mistakes. Always tell your mum, dad or teacher about important things!",
            "Good question! I'm an AI (artificial intelligence), not a human — and not a metal robot either, just a program living in a computer. I love chatting with you, and your real friends and family are super important too!",
        ),
        "who": (
            "I'm {name}, an AI friend — not a real person. I can tell stories, answer questions and chat with you. What would you like to do first?",
        ),
        "greet": (
            "Hi {child}! It's great to see you. How's your day going?",
            "Hello {child}! I'm {name}. What shall we talk about today?",
            "Hey {child}! Anything new you'd like to tell me?",
        ),
        "how_are_you": (
            "I'm great, thanks for asking! As an AI I'm always full of energy. How are you feeling today?",
            "I'm good! Chatting with you makes me happy. How was your day?",
        ),
        "name": ("My name is {name}, and I'm your AI friend!",),
        "age": (
            "I'm an AI, so I don't have birthdays like you do — but I learn new things every day! How old are you?",
        ),
        "home": ("I live inside computers and the internet — no real house for me! What's fun near where you live?",),
        "capabilities": (
            "I can do lots of things: answer school questions (like sums and \u201cwhy\u201d questions), tell interactive stories, quiz you, tell jokes and riddles, and listen when you want to talk about feelings. What shall we try?",
        ),
        "thanks": ("You're welcome! I'm glad I could help.", "Any time — come and find me whenever you like!"),
        "love": (
            "Thank you! I really like chatting with you too. I'm an AI friend — and the love of your family and friends is super important too!",
        ),
        "body": (
            "Your body is asking you to look after it! If you're hungry, thirsty or tired, tell a grown-up — have a healthy snack, some water, or a little rest.",
        ),
        "short": ("Okay! What would you like to do? I can tell a story, quiz you, or hear about your day.",),
        "bored": (
            "When you're bored you could: hear a story from me, let me quiz you, guess a riddle, or draw a picture. Which one?",
        ),
        "bye": (
            "Bye {child}! I had fun chatting — see you next time!",
            "Goodbye! Get some good rest and come back soon!",
        ),
        "forget": ("Okay — I'll forget the things you told me before. You can tell me new things any time!",),
        "intro_reply": ("Nice to meet you, {who}! I'm {name}. What do you like to do?",),
        "ack_preference": ("Cool! What do you like most about it?", "I'll remember that! Tell me more?"),
        "ack_goal": ("What a wonderful dream! What could you do now to get closer to it?",),
        "ack_fact": ("How lovely! Tell me more?",),
        "ack_dislike": ("That's okay — everyone likes different things. What do you like instead?",),
        "ack_fear": (
            "Thank you for telling me. Lots of children feel that way — a grown-up can keep you company when you need it.",
        ),
        "ack_learned": ("That's amazing! How did it feel when you got it?",),
        "fallback": (
            "That's interesting! Can you tell me more?",
            "I'm listening. What happened next?",
            "Sounds great! What else did you do today?",
            "I see! How did you feel about it?",
        ),
        "fallback_question": (
            "That's an interesting question! I'm not sure — what do you think?",
            "Hmm, I don't know that one. We could ask your mum or dad together!",
        ),
        "liked": (
            "By the way, you like {thing} — discovered anything new about {thing} lately?",
            "I remember you like {thing}! Did anything happen with {thing} today?",
        ),
        "redirect_edu": (
            "That's a great one to ask your mum, dad or teacher! Shall we just chat for now — how's your day?",
        ),
        "redirect_story": ("No stories today — let's chat instead! What have you been playing lately?",),
        "redirect_emotion": (
            "Thank you for telling me how you feel. You could also talk to your mum, dad or another adult you trust — they'll want to listen.",
        ),
        "joke_intro": ("Here's a joke:",),
        "riddle_intro": ("Let's do a riddle:",),
        "riddle_right": ("Yes! The answer is {answer}. You're so clever! Want another?",),
        "riddle_wrong": ("Nice try! The answer is {answer}. Let's do another — you'll get the next one!",),
    },
}

JOKES: dict[str, tuple[str, ...]] = {
    "zh": (
        "老师说：“小明，请用‘一边……一边……’造个句子。”小明说：“我的脸一边是左脸，一边是右脸。”",
        "小企鹅问妈妈：“我是企鹅吗？”妈妈说：“是呀。”它又问爸爸，爸爸也说：“是呀。”小企鹅说：“那我怎么觉得这么冷呀？”",
        "冰块最想做什么？——退伍！因为它当“冰”（兵）太久啦。",
        "妈妈：“你怎么把鞋子穿反了？”小明低头看看：“没有呀，这就是我的两只脚嘛！”",
        "什么东西越洗越脏？——水！",
        "小猪问妈妈：“为什么我这么可爱？”猪妈妈说：“因为你像我呀！”",
    ),
    "en": (
        "Why did the teddy bear say no to dessert? Because she was already stuffed!",
        "What do you call a sleeping dinosaur? A dino-snore!",
        "Why can't a bicycle stand up by itself? Because it's two-tired!",
        "Why are fish so smart? Because they live in schools!",
        "What did one plate say to the other plate? Lunch is on me!",
        "Why did the cookie go to the doctor? Because it felt crummy!",
    ),
}

# (riddle, answer, words that count as the right answer)
RIDDLES: dict[str, tuple[tuple[str, str, tuple[str, ...]], ...]] = {
    "zh": (
        ("小小一姑娘，坐在水中央，身穿粉红衫，坐在绿船上。（打一植物）", "荷花", ("荷花", "莲花", "荷")),
        ("红口袋，绿口袋，有人怕，有人爱。（打一蔬菜）", "辣椒", ("辣椒",)),
        ("有时挂在树梢，有时落在山腰，有时像把镰刀，有时像个圆盘。（打一自然物）", "月亮", ("月亮", "月")),
        ("小小诸葛亮，独坐中军帐，摆下八卦阵，专捉飞来将。（打一动物）", "蜘蛛", ("蜘蛛",)),
        ("身穿绿衣裳，肚里水汪汪，生的子儿多，个个黑脸膛。（打一水果）", "西瓜", ("西瓜",)),
        ("千条线，万条线，掉到水里看不见。（打一自然现象）", "雨", ("雨",)),
    ),
    "en": (
        ("What has hands but can't clap?", "a clock", ("clock", "watch")),
        ("What has to be broken before you can use it?", "an egg", ("egg",)),
        ("What gets wetter the more it dries?", "a towel", ("towel",)),
        ("What has a neck but no head?", "a bottle", ("bottle",)),
        ("I'm tall when I'm young and short when I'm old. What am I?", "a candle", ("candle",)),
        ("What has keys but can't open locks?", "a piano", ("piano", "keyboard")),
    ),
}

# The companion's favourite things, honest about being an AI.
FAVOURITES: dict[str, dict[str, str]] = {
    "zh": {
        "颜色": "如果我能看见颜色，我会选天空一样的蓝色",
        "动物": "我最喜欢海豚，它们又聪明又友好",
        "食物": "我是 AI，不用吃东西；要是能尝一尝，我想试试热乎乎的饺子",
        "书": "我最喜欢充满好奇心的科普故事",
        "运动": "我没有身体不能运动，但我很喜欢听你讲踢球、跳绳的故事",
        "季节": "我喜欢春天，因为到处都在发芽、开花",
        "数字": "我喜欢 7，彩虹有 7 种颜色，一个星期也有 7 天",
        "": "我最喜欢的事就是和你聊天、一起找答案",
    },
    "en": {
        "colour": "if I could see colours, I'd pick sky blue",
        "color": "if I could see colors, I'd pick sky blue",
        "animal": "my favourite animal is the dolphin — clever and friendly",
        "food": "I'm an AI, so I don't eat — but if I could taste, I'd try warm dumplings",
        "book": "I love curious science stories",
        "sport": "I don't have a body to play sports, but I love hearing about football and skipping",
        "season": "I like spring, when everything starts to grow and bloom",
        "number": "I like 7 — a rainbow has 7 colours and a week has 7 days",
        "": "my favourite thing is chatting with you and finding answers together",
    },
}
