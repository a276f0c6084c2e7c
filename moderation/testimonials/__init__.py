"""Customer feedback, and testimonials published only with the customer's recorded
yes to the exact words and name (promise 3 in docs/design.md).

models (Feedback, Testimonial and the guard on publishing), consent (the name
shown, the permission requests and the consent records), pages, blocks, forms,
actions (every state change), workflow (the customer's step), notices (the
emails), views (the customer's pages), admin_views and dashboard.
"""
