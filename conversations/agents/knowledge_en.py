# ruff: noqa: E501 - prose table: one answer per line reads and reviews better than wrapped fragments
"""The built-in knowledge base, English side: same keys as knowledge_zh.py.

Each topic: ``key: (triggers, answer for ages 5-8, answer for ages 9-12)``. A trigger is a tuple of words
that must all appear as words (a plural "s"/"es" is allowed; a trailing ``*`` makes a word a prefix).
"""

from __future__ import annotations

EN: dict[str, tuple[tuple[tuple[str, ...], ...], str, str]] = {
    # --- science ---------------------------------------------------------------------------------------------
    "sky_blue": (
        (("sky", "blue"), ("sky", "colo*")),
        "Sunlight is secretly made of all the colours of the rainbow. When it shines through the air, the blue light gets bounced around the most, so when you look up, blue comes at you from everywhere!",
        "Sunlight looks white but it's a mix of every colour. Air molecules scatter light in all directions, and short-wavelength blue light is scattered much more than red — that's called Rayleigh scattering — so the whole sky glows blue. At sunset the light crosses much more air, most of the blue is scattered away, and the reds and oranges are left.",
    ),
    "plants_need": (
        (("plant*", "need*"), ("plant*", "grow*"), ("plant*", "eat"), ("flower*", "need*"), ("photosynthesis",)),
        "Plants need sunlight, water, air and food from the soil. Their leaves are like tiny kitchens: they use sunlight, water and air to make their own food — and they give out the oxygen we breathe!",
        "Plants need light, water, carbon dioxide from the air, minerals from the soil and the right temperature. In their leaves, chlorophyll captures light energy to turn carbon dioxide and water into sugar, releasing oxygen — that's photosynthesis. Roots take up water and minerals, and the stem carries them around the plant.",
    ),
    "dinosaurs_extinct": (
        (
            ("dinosaur*", "extinct*"),
            ("dinosaur*", "die*"),
            ("dinosaur*", "disappear*"),
            ("dinosaur*", "gone"),
            ("dinosaur*", "happened"),
        ),
        "About 66 million years ago, a giant space rock called an asteroid crashed into Earth. Dust filled the sky and blocked the Sun, it got cold, plants couldn't grow, and the big dinosaurs ran out of food. Here's a secret: birds are the dinosaurs' great-great-grandchildren!",
        "About 66 million years ago an asteroid roughly 10 km wide hit what is now the Yucatán Peninsula in Mexico. Dust and soot blocked sunlight for a long time, temperatures dropped, plants died and food chains collapsed; huge volcanic eruptions in India's Deccan region made things worse. Most dinosaurs died out — but one group of small feathered dinosaurs survived and evolved into today's birds.",
    ),
    "rainbow": (
        (("rainbow*",),),
        "After rain there are lots of tiny water drops in the air. When sunlight shines into them, it splits into red, orange, yellow, green, blue, indigo and violet — and a rainbow appears! To see one, stand with the Sun behind you.",
        "A rainbow forms when sunlight is refracted as it enters raindrops, reflected inside them and refracted again as it leaves. Each colour bends by a slightly different angle, so white light spreads into a spectrum — red, orange, yellow, green, blue, indigo, violet. That's why rainbows appear opposite the Sun, most often in the morning or late afternoon.",
    ),
    "rain": (
        (("why", "rain*"), ("where", "rain", "come"), ("how", "rain", "made"), ("how", "rain", "form*")),
        "The Sun warms up water in rivers and seas, and it turns into invisible water vapour that floats up into the sky. Up high it's cold, so the vapour turns back into tiny droplets that make clouds. When the droplets join together and get too heavy, they fall as rain!",
        "It's the water cycle: the Sun heats oceans and land, water evaporates and rises as vapour; higher up it cools and condenses into tiny droplets or ice crystals that form clouds; the droplets collide and merge until they are heavy enough to fall as rain (or snow when it's cold). The water flows back to rivers and seas and the cycle starts again.",
    ),
    "moon_shape": (
        (("moon", "shape*"), ("moon", "chang*"), ("moon", "phase*")),
        "The Moon doesn't make its own light — the Sun lights it up. As the Moon travels around the Earth, we see different amounts of its sunny side, so it looks like a thin banana one night and a round plate another!",
        "The Moon only reflects sunlight, and the half facing the Sun is always lit. It takes about 29.5 days to go around the Earth, and during that time we see changing amounts of the lit half: new moon, crescent, first quarter, full moon, last quarter. These are the Moon's phases.",
    ),
    "moon_follows": (
        (("moon", "follow*"),),
        "The Moon is super, super far away — much farther than the trees and houses you walk past. Close things zoom past you, but the Moon is so far that it hardly seems to move, so it looks like it's following you!",
        "It's an effect called parallax. The Moon is about 384,000 km away, while trees and houses are only metres away. When you move, nearby objects shift a lot in your view and faraway ones barely shift at all — the Moon is so distant that it seems to stay in the same place, as if it were following you.",
    ),
    "sun": (
        (("sun", "hot"), ("what", "is", "the", "sun"), ("how", "big", "sun"), ("how", "far", "sun")),
        "The Sun is a star — the closest one to us! It's a huge, super-hot ball of glowing gas that gives us light and warmth and helps plants grow. Remember: never look straight at the Sun, it can hurt your eyes.",
        "The Sun is a star made mostly of hydrogen and helium. In its core, nuclear fusion releases enormous energy. Its surface is about 5,500 °C, it is about 150 million km away — its light takes about 8 minutes to reach us — and about 1.3 million Earths could fit inside it. Never look at it directly, even during an eclipse, without proper solar filters.",
    ),
    "thunder_lightning": (
        (("thunder*",), ("lightning",)),
        "In a storm cloud, little water drops and bits of ice bump into each other and build up electricity. When there's too much, it jumps out as a bright flash of lightning. The lightning makes the air super hot so fast that it goes BOOM — that's thunder! In a storm, stay indoors and never shelter under a tall tree.",
        "In thunderclouds, colliding ice crystals and water droplets separate electric charges. When the charge builds up enough, it discharges through the air as lightning. The flash heats the air to around 30,000 °C; the air expands explosively and we hear thunder. Light travels much faster than sound, so we see the flash first. During storms stay indoors, away from tall trees, poles and water.",
    ),
    "leaves_fall": (
        (("leaves", "fall*"), ("leaves", "yellow"), ("leaves", "chang*"), ("leaves", "colo*"), ("leaf", "colo*")),
        "In autumn there is less sunshine and it gets cold, so trees stop making the green stuff in their leaves. Then the yellow and orange colours hiding underneath show up! Trees drop their leaves to save water and energy for the winter.",
        "Leaves are green because of chlorophyll. In autumn, shorter days and cooler temperatures make trees stop producing it, revealing yellow and orange pigments (carotenoids) that were there all along; some trees also make red pigments. Dropping leaves helps trees save water and energy in winter; evergreens keep theirs thanks to a waxy coating.",
    ),
    "gravity": (
        (("gravity",), ("why", "things", "fall"), ("why", "fall", "down"), ("apple", "fall*")),
        "The Earth has an invisible pull that tugs everything down. It's called gravity! That's why you land again when you jump, why apples fall from trees, and why we don't float away into the sky.",
        "Every object with mass attracts every other object — that's gravitation. Earth's pull on things is gravity, and it points towards the centre of the Earth. The story says Isaac Newton started thinking about it when he saw an apple fall. Gravity also keeps the Moon going around the Earth and the Earth around the Sun. On the Moon gravity is only about one-sixth as strong, so astronauts can jump really high.",
    ),
    "bees_honey": (
        (("bee*", "honey"), ("honey", "made"), ("how", "honey")),
        "Bees fly to flowers and sip the sweet nectar, then carry it home to the hive. They put it in little wax cells and fan it with their wings to dry it out, and the nectar turns into thick, sticky honey! Bees also carry pollen between flowers, which helps plants make seeds.",
        "Worker bees collect nectar and store it in their honey stomach, where enzymes start breaking the sugars down. Back at the hive, bees pass it from bee to bee, deposit it in hexagonal wax cells and fan their wings to evaporate water until it thickens, then cap the cells with wax. One bee makes only about a twelfth of a teaspoon of honey in its whole life! Bees' pollination is also vital for many crops.",
    ),
    "sleep_why": (
        (("why", "sleep"), ("why", "need", "sleep")),
        "When you sleep, your body and brain rest and recharge — and you even grow a little! Your brain also tidies up everything you learned today. Children your age need about 10 hours of sleep every night.",
        "During sleep your body repairs cells and releases growth hormone, and your brain sorts the day's memories, keeping the important ones, and clears out waste. Too little sleep hurts concentration, mood and your immune system. Children aged 6–12 usually need 9–12 hours a night; less screen time before bed helps you fall asleep.",
    ),
    "brush_teeth": (
        (("brush*", "teeth"), ("cavit*",), ("tooth", "decay")),
        "Tiny germs live in your mouth and love sugar. When they eat it, they make acid that can put little holes in your teeth. Brushing in the morning and at night, for 2 minutes each time, chases the germs away!",
        "Bacteria in your mouth break down sugars from food and produce acids that slowly dissolve tooth enamel, causing cavities. Brush twice a day for about 2 minutes with fluoride toothpaste (a pea-sized amount is enough), cut down on sugary drinks, don't eat after brushing at night, and see the dentist regularly.",
    ),
    # --- history ---------------------------------------------------------------------------------------------
    "great_wall": (
        (("great", "wall"),),
        "The Great Wall of China is super, super long! If you add up all the walls built over China's history, they are more than 20,000 km long — it would take months to walk. People built it long ago to protect their homes.",
        "In 2012 China's State Administration of Cultural Heritage announced that all the walls built throughout history add up to 21,196.18 km. Building began in the Spring and Autumn and Warring States periods; Qin Shi Huang joined many walls together, and most of the brick wall we see today is from the Ming dynasty (about 8,851.8 km). It became a UNESCO World Heritage Site in 1987.",
    ),
    "paper_invention": (
        (("who", "invent*", "paper"), ("paper", "invent*"), ("cai", "lun")),
        "Paper was invented in China! Long ago, in the Han dynasty, a man called Cai Lun made good, cheap paper from tree bark, old rags and fishing nets. After that, writing and drawing became much easier for everyone.",
        "Archaeologists have found early paper from China's Western Han dynasty. Around 105 AD, Cai Lun of the Eastern Han improved papermaking using tree bark, hemp, rags and old fishing nets, making paper cheap and good enough for everyday use. Papermaking later spread through the Arab world to Europe. It is one of ancient China's Four Great Inventions.",
    ),
    "four_inventions": (
        (("four", "great", "invention*"), ("four", "invention*")),
        "Ancient China's Four Great Inventions are papermaking, printing, the compass and gunpowder. They helped people read and write, find their way at sea — and they changed the whole world!",
        "The Four Great Inventions are papermaking (improved by Cai Lun in the Eastern Han), printing (movable type invented by Bi Sheng in the Northern Song), the compass (first a lodestone spoon called sinan, later used for navigation) and gunpowder (discovered by ancient alchemists). They spread along routes like the Silk Road and transformed learning and sea travel.",
    ),
    "qin_shi_huang": (
        (("first", "emperor"), ("qin", "shi", "huang")),
        "Qin Shi Huang was the first emperor of China. He joined many small kingdoms into one country and made everyone use the same writing and the same money. The famous Terracotta Warriors in Xi'an were made for him!",
        "Qin Shi Huang (Ying Zheng) united the warring states in 221 BC and founded the Qin dynasty, becoming the first ruler to call himself 'emperor'. He standardised writing, money and measurements, built roads and linked earlier walls. His tomb near Xi'an is guarded by thousands of Terracotta Warriors. His rule was harsh, and the Qin dynasty lasted only 15 years.",
    ),
    "pyramids": (
        (("pyramid*",),),
        "The pyramids are in Egypt, in Africa. They were built as tombs for ancient Egyptian kings called pharaohs, more than 4,000 years ago, from lots and lots of huge stone blocks stacked up into a giant triangle shape!",
        "The Egyptian pyramids were tombs for pharaohs. The Great Pyramid of Giza, built for Khufu about 4,500 years ago, was originally about 146 m tall and used around 2.3 million stone blocks. Workers probably used ramps, sledges and levers to move them. For about 3,800 years it was the tallest building in the world.",
    ),
    # --- geography -------------------------------------------------------------------------------------------
    "day_night": (
        (("day", "night"), ("why", "dark", "night"), ("why", "get*", "dark")),
        "The Earth spins like a top. The side facing the Sun has daytime, and the side facing away has night-time. One whole spin takes about one day!",
        "The Earth rotates on its axis from west to east about once every 24 hours. The half facing the Sun has day, the other half has night, and the rotation makes them take turns. That's why it is night in New York while it is daytime in Beijing — time zones.",
    ),
    "seasons": (
        (("season*",), ("why", "winter", "cold"), ("why", "summer", "hot")),
        "The Earth goes around the Sun once a year, and it leans to one side as it goes. When our part of the Earth leans towards the Sun, sunlight hits it straight on and it's summer; when it leans away, the light is weaker and it's winter.",
        "Seasons happen because Earth's axis is tilted by about 23.5°. As Earth orbits the Sun over a year, the hemisphere tilted towards the Sun gets more direct sunlight and longer days — summer — while the other gets slanted light and short days — winter. So when it's summer in China, it's winter in Australia. Distance from the Sun is not the reason.",
    ),
    "sea_salty": (
        (("sea", "salt*"), ("ocean*", "salt*")),
        "Rivers wash over rocks and soil and carry a tiny bit of salt into the sea. The Sun dries up some sea water into vapour, but the salt can't fly away, so it stays behind. After a very, very long time, the sea became salty!",
        "Rain and rivers wear away rocks, dissolving mineral salts and carrying them to the ocean; undersea volcanoes and hot vents add more. When seawater evaporates, only the water leaves and the salt stays, so over hundreds of millions of years the oceans reached about 3.5% salt. That's why we can't drink seawater.",
    ),
    "highest_mountain": (
        (("highest", "mountain*"), ("tallest", "mountain*"), ("everest",), ("biggest", "mountain*")),
        "The highest mountain in the world is Mount Everest, on the border between China and Nepal. It is 8,848.86 metres tall — taller than 2,000 floors of a building — and its top is always covered in snow and ice!",
        "Mount Everest (Qomolangma), in the Himalayas on the China–Nepal border, is the world's highest peak. In 2020 China and Nepal jointly announced its height as 8,848.86 m. The Himalayas formed when the Indian plate crashed into the Eurasian plate, and they are still rising slowly today.",
    ),
    "largest_ocean": (
        (("largest", "ocean*"), ("biggest", "ocean*"), ("pacific",), ("how", "many", "ocean*")),
        "The biggest ocean is the Pacific Ocean — it's so big that all the land on Earth could fit inside it with room to spare! The oceans are the Pacific, Atlantic, Indian, Arctic and Southern Oceans.",
        "The Pacific is the largest and deepest ocean, covering about a third of Earth's surface — more than all the land put together. Its deepest point, the Mariana Trench, is about 11,000 m deep. Today five oceans are usually listed: Pacific, Atlantic, Indian, Arctic and Southern (Chinese textbooks often list four, without the Southern Ocean).",
    ),
    "continents": (
        (("continent*",),),
        "There are seven continents: Asia, Africa, North America, South America, Antarctica, Europe and Oceania (Australia). China is in Asia, the biggest continent of all!",
        "From largest to smallest, the seven continents are Asia, Africa, North America, South America, Antarctica, Europe and Oceania/Australia. Asia is the largest and has the most people; Antarctica is almost all ice and has no permanent residents. China is in East Asia, on the western edge of the Pacific.",
    ),
    "china_capital": (
        (("capital", "china"),),
        "The capital of China is Beijing. It has Tiananmen Square, the Forbidden City and the Great Wall nearby — a very old and very modern city!",
        "Beijing is the capital of China and its political and cultural centre. The city has more than 3,000 years of history and was the capital of the Yuan, Ming and Qing dynasties; the Forbidden City there is the largest surviving palace complex in the world.",
    ),
    "yangtze": (
        (("longest", "river*"), ("yangtze",), ("yellow", "river")),
        "The Yangtze is the longest river in China — about 6,300 km long, flowing from the high Tibetan Plateau all the way to the East China Sea. The Yellow River is China's second longest and is called the \u201cmother river\u201d of China.",
        "The Yangtze is about 6,300 km long — the longest river in China and Asia and the third longest in the world — rising on the Qinghai-Tibet Plateau and flowing into the East China Sea. The Yellow River, about 5,464 km, carries so much loess silt that its water looks yellow. The world's longest river is the Nile (about 6,650 km), though some argue for the Amazon.",
    ),
    # --- math ------------------------------------------------------------------------------------------------
    "fraction_what": (
        (("what", "fraction*"), ("fraction*", "mean")),
        "If you cut a cake into 4 equal pieces and take 1, you have one quarter of the cake, written 1/4. The bottom number says how many equal pieces there are, the top number how many you have.",
        "A fraction describes part of a whole that has been split into equal parts. In 3/4 (three quarters), the denominator 4 says the whole is split into 4 equal parts and the numerator 3 says we take 3 of them. Multiplying or dividing the top and bottom by the same non-zero number doesn't change its value — that's how we simplify fractions or find common denominators.",
    ),
    "prime_number": (
        (("prime", "number*"), ("prime*",)),
        "Some numbers are very picky: they can only be divided exactly by 1 and by themselves — like 2, 3, 5 and 7. They're called prime numbers!",
        "A prime number is a whole number greater than 1 whose only factors are 1 and itself: 2, 3, 5, 7, 11, 13… 2 is the only even prime, and 1 is neither prime nor composite. There are infinitely many primes — Euclid proved it more than 2,000 years ago.",
    ),
    "pi": (
        (("what", "is", "pi"), ("pi", "circle"), ("pi", "number")),
        "However big or small a circle is, the distance around it is always a little more than 3 times the distance across it. That special number is called pi, and it's about 3.14.",
        "Pi (π) is the ratio of any circle's circumference to its diameter, about 3.14159 — its decimals go on forever without repeating. About 1,500 years ago the Chinese mathematician Zu Chongzhi showed it lies between 3.1415926 and 3.1415927. Circumference = πd and area = πr².",
    ),
    "odd_even": (
        (("odd", "number*"), ("even", "number*"), ("odd", "even")),
        "Even numbers can be split into pairs with none left over, like 2, 4, 6, 8. Odd numbers always have one left over, like 1, 3, 5, 7.",
        "Even numbers are divisible by 2 and end in 0, 2, 4, 6 or 8; odd numbers end in 1, 3, 5, 7 or 9. Patterns: even + even = even, odd + odd = even, odd + even = odd. And yes, 0 is even.",
    ),
    "times_table": (
        (("times", "table*"), ("learn", "multiplication"), ("multiplication", "table*")),
        "A trick for times tables: learn the 1s, 2s, 5s and 10s first. And 3 × 4 is the same as 4 × 3, so you only need to learn half of them! Try chanting them with clapping, like a song.",
        "Tips: because 3 × 4 = 4 × 3, you only need about half the facts. In the 9 times table the digits of each answer add up to 9 (9 × 7 = 63, 6 + 3 = 9). Answers in the 5 times table end in 0 or 5. A few minutes a day of saying them out loud and quizzing each other works better than one long session.",
    ),
    # --- chinese ---------------------------------------------------------------------------------------------
    "idiom": (
        (("idiom*",), ("chengyu",)),
        "Chinese idioms (chengyu) are usually four characters long, and many hide a little story. In \u201cwaiting by the tree stump for a rabbit\u201d, a farmer saw a rabbit bump into a stump, then waited there every day for another one — and his fields were ruined. It means: don't just wait for luck!",
        "Chengyu are fixed Chinese expressions, usually four characters, often from fables, history or classical texts. \u201cMending the pen after the sheep is lost\u201d (wang yang bu lao) means it's never too late to fix a problem; \u201cdrawing legs on a snake\u201d (hua she tian zu) warns that overdoing things can spoil them. Learning each idiom's story helps you remember and use it well.",
    ),
    "jingyesi": (
        (("li", "bai"), ("quiet", "night", "thought*")),
        "\u201cQuiet Night Thoughts\u201d is a famous poem by Li Bai from the Tang dynasty. He sees bright moonlight on the floor, looks up at the moon and misses his home far away.",
        "Li Bai's \u201cQuiet Night Thoughts\u201d (Jing Ye Si): \u201cBefore my bed, bright moonlight — I wonder if it's frost on the ground. I raise my head to gaze at the moon, I lower it and think of home.\u201d Simple words, deep homesickness. Li Bai is called the \u201cImmortal of Poetry\u201d and, with Du Fu, is the most famous poet of the Tang dynasty.",
    ),
    "writing_tips": (
        (("essay*",), ("writing", "better"), ("good", "writing"), ("how", "write", "good")),
        "To write well: first decide what happened, then write a beginning, a middle and an end. Add what you saw, heard and felt, and your writing will come alive!",
        "Good writing steps: 1) understand the topic and choose your main idea; 2) plan a beginning, middle and end; 3) pick specific examples and use the five senses, actions, dialogue and feelings; 4) use similes and personification where they help; 5) read it aloud and fix what sounds wrong. Reading good books and keeping a diary are the best practice.",
    ),
    "pinyin_tones": (
        (("pinyin",), ("tone*", "chinese"), ("chinese", "tone*")),
        "Mandarin has four tones: the 1st stays flat (mā, mum), the 2nd goes up (má, hemp), the 3rd dips down and up (mǎ, horse), and the 4th drops (mà, scold). Change the tone and you change the meaning!",
        "Pinyin syllables have an initial, a final and a tone. Mandarin has four tones plus a neutral tone: 1st level (mā 妈), 2nd rising (má 麻), 3rd dipping (mǎ 马), 4th falling (mà 骂), and neutral unmarked (ma 吗). The tone mark goes on a if there is one, otherwise on o or e, and in iu/ui on the second vowel.",
    ),
    # --- english ---------------------------------------------------------------------------------------------
    "alphabet": (
        (("alphabet",), ("how", "many", "letters")),
        "The English alphabet has 26 letters, from A to Z. Every letter has a capital and a small form, like A and a. Singing the alphabet song is a great way to remember them!",
        "The English alphabet has 26 letters: the vowels a, e, i, o, u (and sometimes y) and 21 consonants. Each has an upper-case and a lower-case form; we use capitals at the start of sentences and for names of people and places.",
    ),
    "learn_english": (
        (("learn", "english"), ("remember", "word*"), ("learn", "new", "word*"), ("better", "english")),
        "A great way to learn English: listen to English songs and stories every day, learn words with pictures, and say them out loud. A little bit every day makes you better and better!",
        "Tips: 1) 15–20 minutes every day beats a long session once a week; 2) listen and read a lot — picture books, cartoons, songs; 3) learn words with pictures, example sentences and sound, and review them a few days later; 4) speak up and make your own sentences; 5) learn to use a dictionary. Mistakes are fine — you learn a language by using it.",
    ),
    "a_an": (
        (("a", "or", "an"), ("when", "use", "an"), ("a", "an", "difference")),
        "In English we say \u201can\u201d before words that start with a vowel sound, like an apple, and \u201ca\u201d before other words, like a cat.",
        "Both mean \u201cone\u201d. Choose by the sound, not the letter: \u201can\u201d before a vowel sound (an apple, an hour — the h is silent) and \u201ca\u201d before a consonant sound (a cat, a university — it starts with a \u201cyoo\u201d sound).",
    ),
    # --- art -------------------------------------------------------------------------------------------------
    "primary_colors": (
        (("primary", "colo*"), ("mix*", "colo*"), ("what", "colo*", "make")),
        "The three primary colours for painting are red, yellow and blue. Red and yellow make orange, yellow and blue make green, and red and blue make purple. Try it with paints — it's so much fun!",
        "For paints the primaries are red, yellow and blue (more precisely magenta, yellow and cyan); mixing two gives the secondary colours: red + yellow = orange, yellow + blue = green, red + blue = purple, and all three make a dark brown-black. Light is different: its primaries are red, green and blue, and mixing them makes white — that's how screens make every colour.",
    ),
    "qi_baishi": (
        (("qi", "baishi"),),
        "Qi Baishi was a famous Chinese painter who was amazing at painting shrimps — they look like they're swimming right off the paper! When he was young he was a carpenter.",
        "Qi Baishi (1864–1957) was one of China's greatest modern ink painters. A carpenter in his youth, he taught himself poetry, calligraphy, painting and seal carving. He is best known for lively, translucent shrimps, crabs, flowers, birds and insects painted with just a few confident brushstrokes.",
    ),
    # --- music -----------------------------------------------------------------------------------------------
    "music_notes": (
        (("do", "re", "mi"), ("musical", "note*"), ("how", "many", "note*")),
        "Music has seven basic notes: do, re, mi, fa, sol, la, ti. In Chinese number notation they're written 1 2 3 4 5 6 7. After ti, you start again at a higher do!",
        "Western music uses seven basic note names — do, re, mi, fa, sol, la, ti (or C D E F G A B); Chinese jianpu writes them 1 to 7. From one do to the next higher do is an octave. On a stave, a note's position shows its pitch and its shape (whole, half, quarter note) shows how long it lasts.",
    ),
    "instruments": (
        (("instrument*",), ("erhu",), ("guzheng",)),
        "There are so many instruments! You bow a violin or an erhu, you pluck a guitar or a guzheng, you press a piano's keys, you blow a flute or trumpet, and you hit a drum. Which sound do you like best?",
        "Instruments are grouped into families: strings (violin, erhu, guzheng, guitar), woodwinds (flute, clarinet, dizi), brass (trumpet, horn), percussion (drums, triangle, gong) and keyboards (piano). The erhu is a traditional Chinese two-string bowed instrument; the guzheng usually has 21 strings.",
    ),
    # --- pe --------------------------------------------------------------------------------------------------
    "exercise_why": (
        (("why", "exercise"), ("exercise", "good"), ("why", "sport*")),
        "Exercise makes your heart and muscles strong, helps you grow, sleep better and feel happier! Run, jump and play every day.",
        "Regular exercise strengthens your heart, lungs, muscles and bones, and improves sleep, concentration and mood. The World Health Organization recommends that children aged 5–17 do at least 60 minutes of moderate-to-vigorous activity a day on average — running, skipping, swimming, ball games and more.",
    ),
    "warm_up": (
        (("warm", "up"), ("warm-up",), ("warming", "up")),
        "Before sport, warm up: jog slowly, roll your wrists and ankles, and swing your arms and legs. A warm body is much less likely to get hurt!",
        "A warm-up raises your body temperature and heart rate and gets muscles and joints ready, which lowers the risk of strains and sprains. Start with about 5 minutes of light jogging or high knees, then dynamic stretches: arm circles, trunk twists, lunges, ankle and wrist rolls. Stretch gently to cool down afterwards.",
    ),
    # --- morality --------------------------------------------------------------------------------------------
    "honesty": (
        (("honest*",), ("tell*", "lie*"), ("lying",), ("why", "not", "lie")),
        "Being honest means telling the truth. When you tell the truth, people can trust you. Even if you made a mistake, saying so is really brave! Do you know the story of the boy who cried wolf?",
        "Honesty builds trust. One lie often needs more lies to cover it, until people stop believing you — just like the boy who cried wolf. Owning up when you've done something wrong, and trying to put it right, shows courage and responsibility.",
    ),
    "traffic_rules": (
        (("traffic", "light*"), ("cross*", "road"), ("cross*", "street"), ("traffic", "rule*")),
        "Red means stop, green means go, and yellow means wait! Cross at a zebra crossing, look left and right first, and hold a grown-up's hand.",
        "Traffic rules keep everyone safe: stop on red, go on green, wait on yellow; cross at crossings or footbridges after looking both ways; never play or run in the road; wear a seatbelt, and younger children should use a booster seat or sit in the back. In China you must be 12 to ride a bicycle on the road.",
    ),
    "bullied": (
        (("bullied",), ("bully*",), ("bullies",), ("someone", "mean", "to", "me")),
        "If someone is bullying you, it is NOT your fault. Say loudly \u201cStop! I don't like that!\u201d, walk away, and tell Mum, Dad or your teacher right away. They will help you.",
        "Being bullied is never your fault. Stay calm, say \u201cStop\u201d firmly and walk away; stay close to friends; and tell a trusted adult — a parent or teacher — and if nothing changes, keep telling other adults until someone helps. Don't fight back. If you see someone else being bullied, telling an adult isn't snitching — it's helping.",
    ),
    "sharing": (
        (("why", "share"), ("why", "sharing"), ("learn", "share")),
        "Sharing makes everyone happy! When you lend a toy to a friend, they'll want to play with you too. You can take turns so everyone gets a go.",
        "Sharing helps us make friends, learn to cooperate and feel good ourselves. It can mean taking turns, playing together or sharing ideas. And it's also okay to say politely, \u201cThis one is special, I'd like to keep it myself\u201d — respecting yourself and others.",
    ),
    "recycling": (
        (("recycl*",), ("protect", "environment"), ("sort*", "rubbish"), ("sort*", "trash")),
        "Put rubbish in the right bin: paper and plastic bottles can be recycled, food scraps go together, and dangerous things like batteries go on their own. That keeps our planet clean and beautiful!",
        "China commonly sorts waste into four groups: recyclables (paper, plastic, metal, glass), hazardous waste (batteries, old medicine, light tubes), kitchen waste (food scraps, peels) and other waste. Sorting lets materials be reused and reduces pollution. Remember reduce, reuse, recycle: use fewer disposables and save water and electricity.",
    ),
    # --- it --------------------------------------------------------------------------------------------------
    "computer_what": (
        (("how", "computer*", "work"), ("what", "is", "a", "computer")),
        "A computer is a machine that follows instructions very fast. You tell it what to do with the keyboard and mouse, its \u201cbrain\u201d works it out, and it shows the answer on the screen.",
        "Computers follow programs written by people: input devices (keyboard, mouse, microphone) take information in, the CPU processes it, memory and storage keep data, and output devices (screen, speakers) show the results. Inside, everything is represented in binary — patterns of 0s and 1s.",
    ),
    "online_safety": (
        (("online", "safe*"), ("internet", "safe*"), ("stranger*", "online"), ("personal", "information")),
        "When you're online, remember: never tell strangers your name, where you live, your school or your phone number; never meet someone you only know online; and if something makes you feel uncomfortable, tell Mum or Dad right away.",
        "Online safety rules: 1) never share your real name, address, school, phone number, photos or passwords; 2) never meet an online friend alone; 3) don't click strange links or download unknown files; 4) if someone asks you to keep a secret, asks for photos or offers gifts, tell your parents at once; 5) if you're bullied online, keep the evidence and tell an adult.",
    ),
    "password": (
        (("password*",),),
        "A password is like the key to your house: only you and your parents should know it. Never tell it to anyone else!",
        "A strong password is long (at least 8–12 characters) and mixes upper- and lower-case letters, numbers and symbols. Avoid birthdays, phone numbers or 123456; use different passwords for different sites; share them with nobody but your parents; and don't save them on other people's computers.",
    ),
    "what_is_ai": (
        (("artificial", "intelligence"), ("what", "is", "ai"), ("what's", "ai"), ("what", "ai", "mean")),
        "AI means teaching computers to learn and do clever things. I'm an AI! I can chat and tell stories, but I'm not a real person and I can make mistakes — so check important things with your parents or teacher.",
        "Artificial intelligence (AI) is technology that lets computers do tasks that usually need human intelligence, like understanding language, recognising pictures or playing chess. Many AIs learn patterns from huge numbers of examples (machine learning). I'm an AI program: I don't have real feelings and I can be wrong, so double-check important information with trusted adults or sources.",
    ),
    "coding": (
        (("coding",), ("programming",), ("learn", "to", "code"), ("what", "is", "code")),
        "Coding means giving a computer instructions in a language it understands, step by step — like making a cat dance on the screen. You can start with Scratch, where you snap blocks together like puzzle pieces!",
        "Programming means writing step-by-step instructions (a program) in a programming language so a computer can do a task. Start with block-based Scratch to learn sequences, loops and conditions, then move on to a text language like Python. The most important skill is breaking a big problem into small steps.",
    ),
}
