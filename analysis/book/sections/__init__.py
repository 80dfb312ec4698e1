"""The numbers and words of a chapter's sections: one function per section returns ``{glue key: value}``
(keys written out where the text names them) and chooses every direction word from the numbers, so a
notebook is narrative plus calls and a test can check each section's words on small inputs.
"""
