"""Customer feedback, and testimonials published only with the customer's recorded
yes to the exact words and name (promise 3 in DESIGN.md).

models (Feedback and its page, Testimonial, the consent request and record, the
workflow task), forms, actions (every state change), consent (the rule that guards
publishing), views (the customer's pages), admin_views, blocks.
"""
