"""Text of the demo site's articles (used by ``manage.py load_demo``)."""

import datetime

SITE_NAME = "Harbour & Hearth"
INDEX_TITLE = "The Harbour & Hearth Journal"
INDEX_INTRO = (
    "<p>Notes from our kitchen shop on the quay: how things are made, how to look after "
    "them, and what our customers cook with them.</p>"
)

# One dict per article; "palette" is the (dark, light) colours of its pictures.
ARTICLES = [
    {
        "slug": "seasoning-cast-iron",
        "title": "Seasoning cast iron without the folklore",
        "author": "Maya Okafor",
        "days_ago": 3,
        "tags": ["cast iron", "care"],
        "intro": "A thin, hard layer of polymerised oil is all seasoning is. Here is how we build it in the shop, and the three myths we would happily retire.",
        "sections": [
            (
                "Why a thin coat wins",
                [
                    "Seasoning is oil that has been heated past its smoke point until it bonds to the iron and to itself. Thick coats stay sticky because the inside never gets hot enough to finish the reaction.",
                    "We wipe on a few drops of flaxseed or sunflower oil, then wipe it off again as if we had made a mistake. What is left is enough. An hour at 230 °C, upside down, and repeat three times.",
                ],
            ),
            (
                "Soap is fine",
                [
                    "A drop of washing-up liquid will not strip a properly cured pan. What harms it is soaking: leave a pan in the sink overnight and you will be back at step one.",
                ],
            ),
        ],
        "quote": (
            "The best pan in the shop is the one a customer has cooked in for twenty years.",
            "Tomás, who runs our repair bench",
        ),
        "caption": "A pan after its third round in the oven.",
        "palette": ((44, 44, 52), (150, 92, 60)),
    },
    {
        "slug": "knife-sharpening-whetstones",
        "title": "A beginner's week with a whetstone",
        "author": "Daniel Brandt",
        "days_ago": 11,
        "tags": ["knives", "care"],
        "intro": "Seven evenings, one 1000/6000 combination stone and a supermarket chef's knife. What went wrong, and the angle guide that finally helped.",
        "sections": [
            (
                "Day one: too much pressure",
                [
                    "The stone needs water, not muscle. Soak it for ten minutes, keep it wet, and let the slurry do the cutting.",
                    "Holding a steady fifteen degrees is the whole skill. Two stacked coins under the spine of the blade give you the feel for it.",
                ],
            ),
            (
                "Day five: the burr",
                [
                    "You are done with one side when you can feel a tiny lip of metal along the whole length of the other side. Then, and only then, turn the knife over.",
                ],
            ),
        ],
        "quote": (
            "A sharp knife is a safe knife: it goes where you aim it.",
            "Our knife course handout",
        ),
        "caption": "The combination stone, soaked and ready.",
        "palette": ((30, 58, 84), (170, 190, 200)),
    },
    {
        "slug": "sourdough-starter-from-scratch",
        "title": "A sourdough starter from flour, water and patience",
        "author": "Priya Raman",
        "days_ago": 19,
        "tags": ["baking", "recipes"],
        "intro": "Five days, a jar with a loose lid and rye flour. Our bakery counter's starter is eleven years old; yours can begin this weekend.",
        "sections": [
            (
                "Days one to three",
                [
                    "Mix 50 g wholemeal rye with 50 g lukewarm water in a clean jar. Cover loosely and leave it somewhere that feels like a warm room, not a warm oven.",
                    "Each day, discard all but a spoonful and feed it the same again. Expect a lively, slightly alarming smell on day two; it passes.",
                ],
            ),
            (
                "When is it ready?",
                [
                    "When it doubles within six hours of a feed and smells of yoghurt and apples, it will raise a loaf.",
                ],
            ),
        ],
        "quote": (
            "Flour, water, salt and time. The time is the expensive part.",
            "Priya, on our Saturday baking course",
        ),
        "caption": "Day four: bubbles all the way down the jar.",
        "palette": ((120, 84, 48), (236, 214, 170)),
    },
    {
        "slug": "choosing-a-dutch-oven",
        "title": "Choosing a Dutch oven: enamel, bare iron or steel?",
        "author": "Maya Okafor",
        "days_ago": 32,
        "tags": ["cast iron", "buying guides"],
        "intro": "We sell all three, so we have no reason to push one. A short guide by what you actually cook.",
        "sections": [
            (
                "Enamelled cast iron",
                [
                    "Best for tomato sauces, wine braises and anything acidic, which can taste metallic in bare iron. Heavy, forgiving, and easy to clean.",
                ],
            ),
            (
                "Bare cast iron",
                [
                    "Cheaper, nearly indestructible, and it can go on a campfire. It needs seasoning and does not love long acidic braises.",
                    "If you bake bread in it, bare iron is our first choice: it takes the 250 °C preheat without complaint.",
                ],
            ),
        ],
        "quote": (
            "Buy the size you cook for on a Sunday, not on a Tuesday.",
            "Advice from the shop floor",
        ),
        "caption": "Three pots, three finishes.",
        "palette": ((140, 30, 36), (240, 160, 90)),
    },
    {
        "slug": "linen-tea-towels-care",
        "title": "Why linen tea towels get better with age",
        "author": "Sofia Lindqvist",
        "days_ago": 47,
        "tags": ["textiles", "care"],
        "intro": "Stiff and a little disappointing on day one, better than cotton by month three. The fibre science, and how to wash them.",
        "sections": [
            (
                "The fibre",
                [
                    "Flax fibres are long and hollow. They take up water quickly and let it go quickly, which is exactly what drying a glass needs.",
                    "Each wash breaks a little of the natural pectin that stiffens new linen. That is why the towels soften rather than wear out.",
                ],
            ),
            (
                "Washing",
                [
                    "Forty degrees, no fabric softener (it coats the fibre and stops it absorbing), and line-dry when you can.",
                ],
            ),
        ],
        "quote": (
            "My grandmother's linen outlived two kitchens.",
            "A customer, at the counter",
        ),
        "caption": "Linen after a year of Sunday washing-up.",
        "palette": ((92, 110, 84), (220, 226, 200)),
    },
    {
        "slug": "repair-bench-wooden-handles",
        "title": "From the repair bench: new handles for old pans",
        "author": "Tomás Herrera",
        "days_ago": 63,
        "tags": ["repairs", "wood"],
        "intro": "Every week someone brings in a pan with a cracked handle. Most of them go home with another decade in them.",
        "sections": [
            (
                "Which wood",
                [
                    "We turn replacement handles from ash or beech: straight-grained, tough, and happy with hot, greasy hands. Oak looks lovely and splits.",
                ],
            ),
            (
                "Fixing without glue",
                [
                    "A tapered tang, a brass pin and a hot-fitted ferrule hold better than any epoxy, and the next repair is easy.",
                    "Bring your pan in on a Thursday afternoon and watch. We only ask that you tell us its story.",
                ],
            ),
        ],
        "quote": ("Repair is the most sustainable thing we sell.", "Tomás"),
        "caption": "Ash blanks waiting for the lathe.",
        "palette": ((96, 62, 36), (200, 150, 100)),
    },
    {
        "slug": "winter-stock-pot",
        "title": "A winter stock pot, and what to do with the bones",
        "author": "Priya Raman",
        "days_ago": 81,
        "tags": ["recipes"],
        "intro": "One large pot, a roast chicken's carcass, the onion skins you were going to throw away, and three hours of a quiet Sunday.",
        "sections": [
            (
                "Keep it below a boil",
                [
                    "A rolling boil emulsifies the fat and clouds the stock. Bring it up slowly and hold it at a shiver, skimming for the first half hour.",
                ],
            ),
            (
                "Storing it",
                [
                    "Cool it quickly in a sink of cold water, then freeze it in portions. It keeps for three months and makes everything taste more like itself.",
                ],
            ),
        ],
        "quote": (
            "Stock is how a kitchen says it wasted nothing.",
            "From our recipe cards",
        ),
        "caption": "Bones, onion skins and a bay leaf.",
        "palette": ((60, 80, 60), (230, 200, 120)),
    },
]


def article_date(days_ago, today=None):
    return (today or datetime.date.today()) - datetime.timedelta(days=days_ago)


PRIVACY_TITLE = "Privacy policy"
PRIVACY_BODY = (
    "<h2>Comments</h2>"
    "<p>When you comment on our journal, we will collect your name or username, which "
    "will be displayed next to your comment, and your e-mail address, which will not be "
    "published. We use your address to confirm your first comment and to send you the "
    "notices you ask for, nothing else.</p>"
    "<h2>Feedback and testimonials</h2>"
    "<p>If you give us feedback, we may publish it as a testimonial. We will ask for your "
    "permission before we publish it, show you the exact words and the name they would "
    "carry, and you can withdraw your permission at any time.</p>"
    "<h2>Your network, not your address</h2>"
    "<p>To stop floods of automated comments we keep the network a comment came from "
    "(for example 203.0.113.0/24), never your full IP address.</p>"
    "<h2>How long we keep it</h2>"
    "<p>A year after your last comment we forget your e-mail address; your comments "
    "stay, under your name. Comments never confirmed, and spam, are deleted after 30 "
    "days. We keep the record of a testimonial permission (what you agreed to, when) "
    "for as long as the testimonial could be shown.</p>"
    "<h2>Your data</h2>"
    '<p>On the <a href="/your-data/">Your data</a> page you can ask for a copy of '
    "everything we store about your e-mail address, or have it erased. We send a link "
    "to that address, so only you can use it.</p>"
)

# Comments in every state, on the first article. "status" is what the demo leaves
# them in; "reply_to" is the index of an earlier comment in this list.
COMMENTS = [
    {
        "name": "Hannah Q.",
        "email": "hannah@example.com",
        "status": "approved",
        "body": "Flaxseed oil gave me a lovely finish, but it flaked after a month. Is that the thick-coat problem you describe?",
    },
    {
        "staff": True,
        "reply_to": 0,
        "status": "approved",
        "body": "Very likely, Hannah. Flaxseed is brittle when it goes on thick: strip the flakes with a scourer and build it back in thin coats.",
    },
    {
        "name": "Hannah Q.",
        "email": "hannah@example.com",
        "reply_to": 1,
        "status": "approved",
        "body": "Thank you! Three thin coats later it is <em>perfect</em>.",
    },
    {
        "user": "maya_reads",
        "status": "approved",
        "body": "I season mine with lard, like my grandmother did. Works fine on a gas hob.",
    },
    {
        "name": "Theo",
        "email": "theo@example.com",
        "status": "approved",
        "body": "Useful guide. For anyone curious, the chemistry is explained well here: https://en.wikipedia.org/wiki/Seasoning_(cookware)",
    },
    {
        "name": "Priyanka",
        "email": "priyanka@example.com",
        "status": "pending",
        "body": "Does any of this apply to carbon steel woks?",
    },
    {
        "name": "Sam",
        "email": "sam@example.com",
        "status": "unconfirmed",
        "body": "Great article, bookmarked.",
    },
    {
        "name": "Rude visitor",
        "email": "rude@example.com",
        "status": "rejected",
        "body": "This is all nonsense and so are you.",
    },
    {
        "name": "Cheap Pans 4U",
        "email": "deals@spam.example",
        "status": "spam",
        "body": 'BEST PANS cheap!!! <a href="http://spam.example">click</a>',
    },
    {
        "name": "Lou",
        "email": "lou@example.com",
        "status": "deleted",
        "body": "Never mind, found the answer.",
    },
    {
        "name": "Ines",
        "email": "ines@example.com",
        "reply_to": 9,
        "status": "approved",
        "body": "For the record: the answer is in the section on soap.",
    },
    {
        "name": "Former reader",
        "email": "former.reader@example.com",
        "status": "erased",  # asked us to erase their data: signed "Deleted user"
        "body": "Twenty years on the same pan, and it only gets better.",
    },
]

# Feedback from customers, and what the demo does with each (the testimonial's
# permission state): None leaves it as feedback only.
FEEDBACK = [
    {
        "name": "Grace Okonkwo",
        "email": "grace@example.com",
        "rating": 5,
        "state": "granted",
        "body": "The knife sharpening course changed how I cook. Tomás explains everything twice and never makes you feel slow.",
    },
    {
        "name": "Peter Lindqvist",
        "email": "peter@example.com",
        "rating": 5,
        "state": "awaiting",
        "body": "My grandmother's pan came back from the repair bench better than new. Thank you!",
    },
    {
        "name": "Amira Haddad",
        "email": "amira@example.com",
        "rating": 4,
        "state": "declined",
        "body": "Lovely shop, friendly staff, but parking nearby is hard.",
    },
    {
        "name": "Jonas Weber",
        "email": "jonas@example.com",
        "rating": 5,
        "state": "withdrawn",
        "body": "Best linen tea towels I have owned.",
    },
    {
        "name": "Lucia Romero",
        "email": "lucia@example.com",
        "rating": 5,
        "state": "expired",
        "body": "The sourdough workshop was the highlight of my month.",
    },
    {
        "name": "Sven Aalto",
        "email": "sven@example.com",
        "rating": 4,
        "state": "draft",
        "body": "Good advice on choosing a Dutch oven; I bought the enamelled one and love it.",
    },
    {
        "name": "Ola Nordmann",
        "email": "ola@example.com",
        "rating": 3,
        "state": None,
        "body": "Delivery took a week longer than promised.",
    },
]
