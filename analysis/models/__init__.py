"""Models: estimators (the fixed-effects kernel), the state-panel models and their declared specifications,
and multiple-testing inference. Nothing here reads data: models take frames and arrays.
"""
