"""Moving figures: a stick figure per exercise, posed from a few lines of data.

``skeleton`` holds the body (bones, poses, blending, mirroring), ``bases`` the built-in
positions, ``figure`` an exercise's figure, ``motion`` where a figure stands at one
instant of a session, ``raster`` how it is drawn on a grid of character cells and
``format`` how a routine file describes it. All pure: the faces only show the lines.
"""
