# -*- coding: utf-8 -*-
# pystrobe line-table fixture source: compiled (never run) by
# scripts/linetable_dump.py under CPython 2.7 and 3.6+. Line numbers matter:
# do not reformat. Syntax must stay valid in Python 2.7 and 3.6 to 3.13.
from __future__ import print_function


def one_line_many_statements(a):
    x = a; y = x + 1; z = y * 2; w = z - x; v = w // 3; u = v % 7; t = u ** 2; s = t + a; return s + x + y + z


def long_single_line(a, b, c):
    total = (a - 0) * (b + 0) + a * b - c + (a - 2) * (b + 2) + a * b - c + (a - 4) * (b + 4) + a * b - c + (a - 6) * (b + 6) + a * b - c + (a - 8) * (b + 8) + a * b - c + (a - 10) * (b + 10) + a * b - c + (a - 12) * (b + 12) + a * b - c + (a - 14) * (b + 14) + a * b - c + (a - 16) * (b + 16) + a * b - c + (a - 18) * (b + 18) + a * b - c + (a - 20) * (b + 20) + a * b - c + (a - 22) * (b + 22) + a * b - c + (a - 24) * (b + 24) + a * b - c + (a - 26) * (b + 26) + a * b - c + (a - 28) * (b + 28) + a * b - c + (a - 30) * (b + 30) + a * b - c + (a - 32) * (b + 32) + a * b - c + (a - 34) * (b + 34) + a * b - c + (a - 36) * (b + 36) + a * b - c + (a - 38) * (b + 38) + a * b - c + (a - 40) * (b + 40) + a * b - c + (a - 42) * (b + 42) + a * b - c + (a - 44) * (b + 44) + a * b - c + (a - 46) * (b + 46) + a * b - c + (a - 48) * (b + 48) + a * b - c + (a - 50) * (b + 50) + a * b - c + (a - 52) * (b + 52) + a * b - c + (a - 54) * (b + 54) + a * b - c + (a - 56) * (b + 56) + a * b - c + (a - 58) * (b + 58) + a * b - c
    return total


def big_body(n, seq):
    acc = 0
    if n > 0:
        acc += n * 0
    acc = (acc ^ 1) + len(seq)
    acc = (acc ^ 2) + len(seq)
    for item in seq[3:]:
        acc -= item
    acc = (acc ^ 4) + len(seq)
    acc = (acc ^ 5) + len(seq)
    acc = (acc ^ 6) + len(seq)
    if n > 7:
        acc += n * 7
    acc = (acc ^ 8) + len(seq)
    acc = (acc ^ 9) + len(seq)
    for item in seq[10:]:
        acc -= item
    acc = (acc ^ 11) + len(seq)
    acc = (acc ^ 12) + len(seq)
    acc = (acc ^ 13) + len(seq)
    if n > 14:
        acc += n * 14
    acc = (acc ^ 15) + len(seq)
    acc = (acc ^ 16) + len(seq)
    for item in seq[17:]:
        acc -= item
    acc = (acc ^ 18) + len(seq)
    acc = (acc ^ 19) + len(seq)
    acc = (acc ^ 20) + len(seq)
    if n > 21:
        acc += n * 21
    acc = (acc ^ 22) + len(seq)
    acc = (acc ^ 23) + len(seq)
    for item in seq[24:]:
        acc -= item
    acc = (acc ^ 25) + len(seq)
    acc = (acc ^ 26) + len(seq)
    acc = (acc ^ 27) + len(seq)
    if n > 28:
        acc += n * 28
    acc = (acc ^ 29) + len(seq)
    acc = (acc ^ 30) + len(seq)
    for item in seq[31:]:
        acc -= item
    acc = (acc ^ 32) + len(seq)
    acc = (acc ^ 33) + len(seq)
    acc = (acc ^ 34) + len(seq)
    if n > 35:
        acc += n * 35
    acc = (acc ^ 36) + len(seq)
    acc = (acc ^ 37) + len(seq)
    for item in seq[38:]:
        acc -= item
    acc = (acc ^ 39) + len(seq)
    acc = (acc ^ 40) + len(seq)
    acc = (acc ^ 41) + len(seq)
    if n > 42:
        acc += n * 42
    acc = (acc ^ 43) + len(seq)
    acc = (acc ^ 44) + len(seq)
    for item in seq[45:]:
        acc -= item
    acc = (acc ^ 46) + len(seq)
    acc = (acc ^ 47) + len(seq)
    acc = (acc ^ 48) + len(seq)
    if n > 49:
        acc += n * 49
    acc = (acc ^ 50) + len(seq)
    acc = (acc ^ 51) + len(seq)
    for item in seq[52:]:
        acc -= item
    acc = (acc ^ 53) + len(seq)
    acc = (acc ^ 54) + len(seq)
    acc = (acc ^ 55) + len(seq)
    if n > 56:
        acc += n * 56
    acc = (acc ^ 57) + len(seq)
    acc = (acc ^ 58) + len(seq)
    for item in seq[59:]:
        acc -= item
    acc = (acc ^ 60) + len(seq)
    acc = (acc ^ 61) + len(seq)
    acc = (acc ^ 62) + len(seq)
    if n > 63:
        acc += n * 63
    acc = (acc ^ 64) + len(seq)
    acc = (acc ^ 65) + len(seq)
    for item in seq[66:]:
        acc -= item
    acc = (acc ^ 67) + len(seq)
    acc = (acc ^ 68) + len(seq)
    acc = (acc ^ 69) + len(seq)
    return acc


def far_lines(a):
    x = a + 1
    # gap of more than 255 lines: 0
    # gap of more than 255 lines: 1
    # gap of more than 255 lines: 2
    # gap of more than 255 lines: 3
    # gap of more than 255 lines: 4
    # gap of more than 255 lines: 5
    # gap of more than 255 lines: 6
    # gap of more than 255 lines: 7
    # gap of more than 255 lines: 8
    # gap of more than 255 lines: 9
    # gap of more than 255 lines: 10
    # gap of more than 255 lines: 11
    # gap of more than 255 lines: 12
    # gap of more than 255 lines: 13
    # gap of more than 255 lines: 14
    # gap of more than 255 lines: 15
    # gap of more than 255 lines: 16
    # gap of more than 255 lines: 17
    # gap of more than 255 lines: 18
    # gap of more than 255 lines: 19
    # gap of more than 255 lines: 20
    # gap of more than 255 lines: 21
    # gap of more than 255 lines: 22
    # gap of more than 255 lines: 23
    # gap of more than 255 lines: 24
    # gap of more than 255 lines: 25
    # gap of more than 255 lines: 26
    # gap of more than 255 lines: 27
    # gap of more than 255 lines: 28
    # gap of more than 255 lines: 29
    # gap of more than 255 lines: 30
    # gap of more than 255 lines: 31
    # gap of more than 255 lines: 32
    # gap of more than 255 lines: 33
    # gap of more than 255 lines: 34
    # gap of more than 255 lines: 35
    # gap of more than 255 lines: 36
    # gap of more than 255 lines: 37
    # gap of more than 255 lines: 38
    # gap of more than 255 lines: 39
    # gap of more than 255 lines: 40
    # gap of more than 255 lines: 41
    # gap of more than 255 lines: 42
    # gap of more than 255 lines: 43
    # gap of more than 255 lines: 44
    # gap of more than 255 lines: 45
    # gap of more than 255 lines: 46
    # gap of more than 255 lines: 47
    # gap of more than 255 lines: 48
    # gap of more than 255 lines: 49
    # gap of more than 255 lines: 50
    # gap of more than 255 lines: 51
    # gap of more than 255 lines: 52
    # gap of more than 255 lines: 53
    # gap of more than 255 lines: 54
    # gap of more than 255 lines: 55
    # gap of more than 255 lines: 56
    # gap of more than 255 lines: 57
    # gap of more than 255 lines: 58
    # gap of more than 255 lines: 59
    # gap of more than 255 lines: 60
    # gap of more than 255 lines: 61
    # gap of more than 255 lines: 62
    # gap of more than 255 lines: 63
    # gap of more than 255 lines: 64
    # gap of more than 255 lines: 65
    # gap of more than 255 lines: 66
    # gap of more than 255 lines: 67
    # gap of more than 255 lines: 68
    # gap of more than 255 lines: 69
    # gap of more than 255 lines: 70
    # gap of more than 255 lines: 71
    # gap of more than 255 lines: 72
    # gap of more than 255 lines: 73
    # gap of more than 255 lines: 74
    # gap of more than 255 lines: 75
    # gap of more than 255 lines: 76
    # gap of more than 255 lines: 77
    # gap of more than 255 lines: 78
    # gap of more than 255 lines: 79
    # gap of more than 255 lines: 80
    # gap of more than 255 lines: 81
    # gap of more than 255 lines: 82
    # gap of more than 255 lines: 83
    # gap of more than 255 lines: 84
    # gap of more than 255 lines: 85
    # gap of more than 255 lines: 86
    # gap of more than 255 lines: 87
    # gap of more than 255 lines: 88
    # gap of more than 255 lines: 89
    # gap of more than 255 lines: 90
    # gap of more than 255 lines: 91
    # gap of more than 255 lines: 92
    # gap of more than 255 lines: 93
    # gap of more than 255 lines: 94
    # gap of more than 255 lines: 95
    # gap of more than 255 lines: 96
    # gap of more than 255 lines: 97
    # gap of more than 255 lines: 98
    # gap of more than 255 lines: 99
    # gap of more than 255 lines: 100
    # gap of more than 255 lines: 101
    # gap of more than 255 lines: 102
    # gap of more than 255 lines: 103
    # gap of more than 255 lines: 104
    # gap of more than 255 lines: 105
    # gap of more than 255 lines: 106
    # gap of more than 255 lines: 107
    # gap of more than 255 lines: 108
    # gap of more than 255 lines: 109
    # gap of more than 255 lines: 110
    # gap of more than 255 lines: 111
    # gap of more than 255 lines: 112
    # gap of more than 255 lines: 113
    # gap of more than 255 lines: 114
    # gap of more than 255 lines: 115
    # gap of more than 255 lines: 116
    # gap of more than 255 lines: 117
    # gap of more than 255 lines: 118
    # gap of more than 255 lines: 119
    # gap of more than 255 lines: 120
    # gap of more than 255 lines: 121
    # gap of more than 255 lines: 122
    # gap of more than 255 lines: 123
    # gap of more than 255 lines: 124
    # gap of more than 255 lines: 125
    # gap of more than 255 lines: 126
    # gap of more than 255 lines: 127
    # gap of more than 255 lines: 128
    # gap of more than 255 lines: 129
    # gap of more than 255 lines: 130
    # gap of more than 255 lines: 131
    # gap of more than 255 lines: 132
    # gap of more than 255 lines: 133
    # gap of more than 255 lines: 134
    # gap of more than 255 lines: 135
    # gap of more than 255 lines: 136
    # gap of more than 255 lines: 137
    # gap of more than 255 lines: 138
    # gap of more than 255 lines: 139
    # gap of more than 255 lines: 140
    # gap of more than 255 lines: 141
    # gap of more than 255 lines: 142
    # gap of more than 255 lines: 143
    # gap of more than 255 lines: 144
    # gap of more than 255 lines: 145
    # gap of more than 255 lines: 146
    # gap of more than 255 lines: 147
    # gap of more than 255 lines: 148
    # gap of more than 255 lines: 149
    # gap of more than 255 lines: 150
    # gap of more than 255 lines: 151
    # gap of more than 255 lines: 152
    # gap of more than 255 lines: 153
    # gap of more than 255 lines: 154
    # gap of more than 255 lines: 155
    # gap of more than 255 lines: 156
    # gap of more than 255 lines: 157
    # gap of more than 255 lines: 158
    # gap of more than 255 lines: 159
    # gap of more than 255 lines: 160
    # gap of more than 255 lines: 161
    # gap of more than 255 lines: 162
    # gap of more than 255 lines: 163
    # gap of more than 255 lines: 164
    # gap of more than 255 lines: 165
    # gap of more than 255 lines: 166
    # gap of more than 255 lines: 167
    # gap of more than 255 lines: 168
    # gap of more than 255 lines: 169
    # gap of more than 255 lines: 170
    # gap of more than 255 lines: 171
    # gap of more than 255 lines: 172
    # gap of more than 255 lines: 173
    # gap of more than 255 lines: 174
    # gap of more than 255 lines: 175
    # gap of more than 255 lines: 176
    # gap of more than 255 lines: 177
    # gap of more than 255 lines: 178
    # gap of more than 255 lines: 179
    # gap of more than 255 lines: 180
    # gap of more than 255 lines: 181
    # gap of more than 255 lines: 182
    # gap of more than 255 lines: 183
    # gap of more than 255 lines: 184
    # gap of more than 255 lines: 185
    # gap of more than 255 lines: 186
    # gap of more than 255 lines: 187
    # gap of more than 255 lines: 188
    # gap of more than 255 lines: 189
    # gap of more than 255 lines: 190
    # gap of more than 255 lines: 191
    # gap of more than 255 lines: 192
    # gap of more than 255 lines: 193
    # gap of more than 255 lines: 194
    # gap of more than 255 lines: 195
    # gap of more than 255 lines: 196
    # gap of more than 255 lines: 197
    # gap of more than 255 lines: 198
    # gap of more than 255 lines: 199
    # gap of more than 255 lines: 200
    # gap of more than 255 lines: 201
    # gap of more than 255 lines: 202
    # gap of more than 255 lines: 203
    # gap of more than 255 lines: 204
    # gap of more than 255 lines: 205
    # gap of more than 255 lines: 206
    # gap of more than 255 lines: 207
    # gap of more than 255 lines: 208
    # gap of more than 255 lines: 209
    # gap of more than 255 lines: 210
    # gap of more than 255 lines: 211
    # gap of more than 255 lines: 212
    # gap of more than 255 lines: 213
    # gap of more than 255 lines: 214
    # gap of more than 255 lines: 215
    # gap of more than 255 lines: 216
    # gap of more than 255 lines: 217
    # gap of more than 255 lines: 218
    # gap of more than 255 lines: 219
    # gap of more than 255 lines: 220
    # gap of more than 255 lines: 221
    # gap of more than 255 lines: 222
    # gap of more than 255 lines: 223
    # gap of more than 255 lines: 224
    # gap of more than 255 lines: 225
    # gap of more than 255 lines: 226
    # gap of more than 255 lines: 227
    # gap of more than 255 lines: 228
    # gap of more than 255 lines: 229
    # gap of more than 255 lines: 230
    # gap of more than 255 lines: 231
    # gap of more than 255 lines: 232
    # gap of more than 255 lines: 233
    # gap of more than 255 lines: 234
    # gap of more than 255 lines: 235
    # gap of more than 255 lines: 236
    # gap of more than 255 lines: 237
    # gap of more than 255 lines: 238
    # gap of more than 255 lines: 239
    # gap of more than 255 lines: 240
    # gap of more than 255 lines: 241
    # gap of more than 255 lines: 242
    # gap of more than 255 lines: 243
    # gap of more than 255 lines: 244
    # gap of more than 255 lines: 245
    # gap of more than 255 lines: 246
    # gap of more than 255 lines: 247
    # gap of more than 255 lines: 248
    # gap of more than 255 lines: 249
    # gap of more than 255 lines: 250
    # gap of more than 255 lines: 251
    # gap of more than 255 lines: 252
    # gap of more than 255 lines: 253
    # gap of more than 255 lines: 254
    # gap of more than 255 lines: 255
    # gap of more than 255 lines: 256
    # gap of more than 255 lines: 257
    # gap of more than 255 lines: 258
    # gap of more than 255 lines: 259
    # gap of more than 255 lines: 260
    # gap of more than 255 lines: 261
    # gap of more than 255 lines: 262
    # gap of more than 255 lines: 263
    # gap of more than 255 lines: 264
    # gap of more than 255 lines: 265
    # gap of more than 255 lines: 266
    # gap of more than 255 lines: 267
    # gap of more than 255 lines: 268
    # gap of more than 255 lines: 269
    # gap of more than 255 lines: 270
    # gap of more than 255 lines: 271
    # gap of more than 255 lines: 272
    # gap of more than 255 lines: 273
    # gap of more than 255 lines: 274
    # gap of more than 255 lines: 275
    # gap of more than 255 lines: 276
    # gap of more than 255 lines: 277
    # gap of more than 255 lines: 278
    # gap of more than 255 lines: 279
    # gap of more than 255 lines: 280
    # gap of more than 255 lines: 281
    # gap of more than 255 lines: 282
    # gap of more than 255 lines: 283
    # gap of more than 255 lines: 284
    # gap of more than 255 lines: 285
    # gap of more than 255 lines: 286
    # gap of more than 255 lines: 287
    # gap of more than 255 lines: 288
    # gap of more than 255 lines: 289
    # gap of more than 255 lines: 290
    # gap of more than 255 lines: 291
    # gap of more than 255 lines: 292
    # gap of more than 255 lines: 293
    # gap of more than 255 lines: 294
    # gap of more than 255 lines: 295
    # gap of more than 255 lines: 296
    # gap of more than 255 lines: 297
    # gap of more than 255 lines: 298
    # gap of more than 255 lines: 299
    y = x * 2
    # gap of more than 1000 lines: 0
    # gap of more than 1000 lines: 1
    # gap of more than 1000 lines: 2
    # gap of more than 1000 lines: 3
    # gap of more than 1000 lines: 4
    # gap of more than 1000 lines: 5
    # gap of more than 1000 lines: 6
    # gap of more than 1000 lines: 7
    # gap of more than 1000 lines: 8
    # gap of more than 1000 lines: 9
    # gap of more than 1000 lines: 10
    # gap of more than 1000 lines: 11
    # gap of more than 1000 lines: 12
    # gap of more than 1000 lines: 13
    # gap of more than 1000 lines: 14
    # gap of more than 1000 lines: 15
    # gap of more than 1000 lines: 16
    # gap of more than 1000 lines: 17
    # gap of more than 1000 lines: 18
    # gap of more than 1000 lines: 19
    # gap of more than 1000 lines: 20
    # gap of more than 1000 lines: 21
    # gap of more than 1000 lines: 22
    # gap of more than 1000 lines: 23
    # gap of more than 1000 lines: 24
    # gap of more than 1000 lines: 25
    # gap of more than 1000 lines: 26
    # gap of more than 1000 lines: 27
    # gap of more than 1000 lines: 28
    # gap of more than 1000 lines: 29
    # gap of more than 1000 lines: 30
    # gap of more than 1000 lines: 31
    # gap of more than 1000 lines: 32
    # gap of more than 1000 lines: 33
    # gap of more than 1000 lines: 34
    # gap of more than 1000 lines: 35
    # gap of more than 1000 lines: 36
    # gap of more than 1000 lines: 37
    # gap of more than 1000 lines: 38
    # gap of more than 1000 lines: 39
    # gap of more than 1000 lines: 40
    # gap of more than 1000 lines: 41
    # gap of more than 1000 lines: 42
    # gap of more than 1000 lines: 43
    # gap of more than 1000 lines: 44
    # gap of more than 1000 lines: 45
    # gap of more than 1000 lines: 46
    # gap of more than 1000 lines: 47
    # gap of more than 1000 lines: 48
    # gap of more than 1000 lines: 49
    # gap of more than 1000 lines: 50
    # gap of more than 1000 lines: 51
    # gap of more than 1000 lines: 52
    # gap of more than 1000 lines: 53
    # gap of more than 1000 lines: 54
    # gap of more than 1000 lines: 55
    # gap of more than 1000 lines: 56
    # gap of more than 1000 lines: 57
    # gap of more than 1000 lines: 58
    # gap of more than 1000 lines: 59
    # gap of more than 1000 lines: 60
    # gap of more than 1000 lines: 61
    # gap of more than 1000 lines: 62
    # gap of more than 1000 lines: 63
    # gap of more than 1000 lines: 64
    # gap of more than 1000 lines: 65
    # gap of more than 1000 lines: 66
    # gap of more than 1000 lines: 67
    # gap of more than 1000 lines: 68
    # gap of more than 1000 lines: 69
    # gap of more than 1000 lines: 70
    # gap of more than 1000 lines: 71
    # gap of more than 1000 lines: 72
    # gap of more than 1000 lines: 73
    # gap of more than 1000 lines: 74
    # gap of more than 1000 lines: 75
    # gap of more than 1000 lines: 76
    # gap of more than 1000 lines: 77
    # gap of more than 1000 lines: 78
    # gap of more than 1000 lines: 79
    # gap of more than 1000 lines: 80
    # gap of more than 1000 lines: 81
    # gap of more than 1000 lines: 82
    # gap of more than 1000 lines: 83
    # gap of more than 1000 lines: 84
    # gap of more than 1000 lines: 85
    # gap of more than 1000 lines: 86
    # gap of more than 1000 lines: 87
    # gap of more than 1000 lines: 88
    # gap of more than 1000 lines: 89
    # gap of more than 1000 lines: 90
    # gap of more than 1000 lines: 91
    # gap of more than 1000 lines: 92
    # gap of more than 1000 lines: 93
    # gap of more than 1000 lines: 94
    # gap of more than 1000 lines: 95
    # gap of more than 1000 lines: 96
    # gap of more than 1000 lines: 97
    # gap of more than 1000 lines: 98
    # gap of more than 1000 lines: 99
    # gap of more than 1000 lines: 100
    # gap of more than 1000 lines: 101
    # gap of more than 1000 lines: 102
    # gap of more than 1000 lines: 103
    # gap of more than 1000 lines: 104
    # gap of more than 1000 lines: 105
    # gap of more than 1000 lines: 106
    # gap of more than 1000 lines: 107
    # gap of more than 1000 lines: 108
    # gap of more than 1000 lines: 109
    # gap of more than 1000 lines: 110
    # gap of more than 1000 lines: 111
    # gap of more than 1000 lines: 112
    # gap of more than 1000 lines: 113
    # gap of more than 1000 lines: 114
    # gap of more than 1000 lines: 115
    # gap of more than 1000 lines: 116
    # gap of more than 1000 lines: 117
    # gap of more than 1000 lines: 118
    # gap of more than 1000 lines: 119
    # gap of more than 1000 lines: 120
    # gap of more than 1000 lines: 121
    # gap of more than 1000 lines: 122
    # gap of more than 1000 lines: 123
    # gap of more than 1000 lines: 124
    # gap of more than 1000 lines: 125
    # gap of more than 1000 lines: 126
    # gap of more than 1000 lines: 127
    # gap of more than 1000 lines: 128
    # gap of more than 1000 lines: 129
    # gap of more than 1000 lines: 130
    # gap of more than 1000 lines: 131
    # gap of more than 1000 lines: 132
    # gap of more than 1000 lines: 133
    # gap of more than 1000 lines: 134
    # gap of more than 1000 lines: 135
    # gap of more than 1000 lines: 136
    # gap of more than 1000 lines: 137
    # gap of more than 1000 lines: 138
    # gap of more than 1000 lines: 139
    # gap of more than 1000 lines: 140
    # gap of more than 1000 lines: 141
    # gap of more than 1000 lines: 142
    # gap of more than 1000 lines: 143
    # gap of more than 1000 lines: 144
    # gap of more than 1000 lines: 145
    # gap of more than 1000 lines: 146
    # gap of more than 1000 lines: 147
    # gap of more than 1000 lines: 148
    # gap of more than 1000 lines: 149
    # gap of more than 1000 lines: 150
    # gap of more than 1000 lines: 151
    # gap of more than 1000 lines: 152
    # gap of more than 1000 lines: 153
    # gap of more than 1000 lines: 154
    # gap of more than 1000 lines: 155
    # gap of more than 1000 lines: 156
    # gap of more than 1000 lines: 157
    # gap of more than 1000 lines: 158
    # gap of more than 1000 lines: 159
    # gap of more than 1000 lines: 160
    # gap of more than 1000 lines: 161
    # gap of more than 1000 lines: 162
    # gap of more than 1000 lines: 163
    # gap of more than 1000 lines: 164
    # gap of more than 1000 lines: 165
    # gap of more than 1000 lines: 166
    # gap of more than 1000 lines: 167
    # gap of more than 1000 lines: 168
    # gap of more than 1000 lines: 169
    # gap of more than 1000 lines: 170
    # gap of more than 1000 lines: 171
    # gap of more than 1000 lines: 172
    # gap of more than 1000 lines: 173
    # gap of more than 1000 lines: 174
    # gap of more than 1000 lines: 175
    # gap of more than 1000 lines: 176
    # gap of more than 1000 lines: 177
    # gap of more than 1000 lines: 178
    # gap of more than 1000 lines: 179
    # gap of more than 1000 lines: 180
    # gap of more than 1000 lines: 181
    # gap of more than 1000 lines: 182
    # gap of more than 1000 lines: 183
    # gap of more than 1000 lines: 184
    # gap of more than 1000 lines: 185
    # gap of more than 1000 lines: 186
    # gap of more than 1000 lines: 187
    # gap of more than 1000 lines: 188
    # gap of more than 1000 lines: 189
    # gap of more than 1000 lines: 190
    # gap of more than 1000 lines: 191
    # gap of more than 1000 lines: 192
    # gap of more than 1000 lines: 193
    # gap of more than 1000 lines: 194
    # gap of more than 1000 lines: 195
    # gap of more than 1000 lines: 196
    # gap of more than 1000 lines: 197
    # gap of more than 1000 lines: 198
    # gap of more than 1000 lines: 199
    # gap of more than 1000 lines: 200
    # gap of more than 1000 lines: 201
    # gap of more than 1000 lines: 202
    # gap of more than 1000 lines: 203
    # gap of more than 1000 lines: 204
    # gap of more than 1000 lines: 205
    # gap of more than 1000 lines: 206
    # gap of more than 1000 lines: 207
    # gap of more than 1000 lines: 208
    # gap of more than 1000 lines: 209
    # gap of more than 1000 lines: 210
    # gap of more than 1000 lines: 211
    # gap of more than 1000 lines: 212
    # gap of more than 1000 lines: 213
    # gap of more than 1000 lines: 214
    # gap of more than 1000 lines: 215
    # gap of more than 1000 lines: 216
    # gap of more than 1000 lines: 217
    # gap of more than 1000 lines: 218
    # gap of more than 1000 lines: 219
    # gap of more than 1000 lines: 220
    # gap of more than 1000 lines: 221
    # gap of more than 1000 lines: 222
    # gap of more than 1000 lines: 223
    # gap of more than 1000 lines: 224
    # gap of more than 1000 lines: 225
    # gap of more than 1000 lines: 226
    # gap of more than 1000 lines: 227
    # gap of more than 1000 lines: 228
    # gap of more than 1000 lines: 229
    # gap of more than 1000 lines: 230
    # gap of more than 1000 lines: 231
    # gap of more than 1000 lines: 232
    # gap of more than 1000 lines: 233
    # gap of more than 1000 lines: 234
    # gap of more than 1000 lines: 235
    # gap of more than 1000 lines: 236
    # gap of more than 1000 lines: 237
    # gap of more than 1000 lines: 238
    # gap of more than 1000 lines: 239
    # gap of more than 1000 lines: 240
    # gap of more than 1000 lines: 241
    # gap of more than 1000 lines: 242
    # gap of more than 1000 lines: 243
    # gap of more than 1000 lines: 244
    # gap of more than 1000 lines: 245
    # gap of more than 1000 lines: 246
    # gap of more than 1000 lines: 247
    # gap of more than 1000 lines: 248
    # gap of more than 1000 lines: 249
    # gap of more than 1000 lines: 250
    # gap of more than 1000 lines: 251
    # gap of more than 1000 lines: 252
    # gap of more than 1000 lines: 253
    # gap of more than 1000 lines: 254
    # gap of more than 1000 lines: 255
    # gap of more than 1000 lines: 256
    # gap of more than 1000 lines: 257
    # gap of more than 1000 lines: 258
    # gap of more than 1000 lines: 259
    # gap of more than 1000 lines: 260
    # gap of more than 1000 lines: 261
    # gap of more than 1000 lines: 262
    # gap of more than 1000 lines: 263
    # gap of more than 1000 lines: 264
    # gap of more than 1000 lines: 265
    # gap of more than 1000 lines: 266
    # gap of more than 1000 lines: 267
    # gap of more than 1000 lines: 268
    # gap of more than 1000 lines: 269
    # gap of more than 1000 lines: 270
    # gap of more than 1000 lines: 271
    # gap of more than 1000 lines: 272
    # gap of more than 1000 lines: 273
    # gap of more than 1000 lines: 274
    # gap of more than 1000 lines: 275
    # gap of more than 1000 lines: 276
    # gap of more than 1000 lines: 277
    # gap of more than 1000 lines: 278
    # gap of more than 1000 lines: 279
    # gap of more than 1000 lines: 280
    # gap of more than 1000 lines: 281
    # gap of more than 1000 lines: 282
    # gap of more than 1000 lines: 283
    # gap of more than 1000 lines: 284
    # gap of more than 1000 lines: 285
    # gap of more than 1000 lines: 286
    # gap of more than 1000 lines: 287
    # gap of more than 1000 lines: 288
    # gap of more than 1000 lines: 289
    # gap of more than 1000 lines: 290
    # gap of more than 1000 lines: 291
    # gap of more than 1000 lines: 292
    # gap of more than 1000 lines: 293
    # gap of more than 1000 lines: 294
    # gap of more than 1000 lines: 295
    # gap of more than 1000 lines: 296
    # gap of more than 1000 lines: 297
    # gap of more than 1000 lines: 298
    # gap of more than 1000 lines: 299
    # gap of more than 1000 lines: 300
    # gap of more than 1000 lines: 301
    # gap of more than 1000 lines: 302
    # gap of more than 1000 lines: 303
    # gap of more than 1000 lines: 304
    # gap of more than 1000 lines: 305
    # gap of more than 1000 lines: 306
    # gap of more than 1000 lines: 307
    # gap of more than 1000 lines: 308
    # gap of more than 1000 lines: 309
    # gap of more than 1000 lines: 310
    # gap of more than 1000 lines: 311
    # gap of more than 1000 lines: 312
    # gap of more than 1000 lines: 313
    # gap of more than 1000 lines: 314
    # gap of more than 1000 lines: 315
    # gap of more than 1000 lines: 316
    # gap of more than 1000 lines: 317
    # gap of more than 1000 lines: 318
    # gap of more than 1000 lines: 319
    # gap of more than 1000 lines: 320
    # gap of more than 1000 lines: 321
    # gap of more than 1000 lines: 322
    # gap of more than 1000 lines: 323
    # gap of more than 1000 lines: 324
    # gap of more than 1000 lines: 325
    # gap of more than 1000 lines: 326
    # gap of more than 1000 lines: 327
    # gap of more than 1000 lines: 328
    # gap of more than 1000 lines: 329
    # gap of more than 1000 lines: 330
    # gap of more than 1000 lines: 331
    # gap of more than 1000 lines: 332
    # gap of more than 1000 lines: 333
    # gap of more than 1000 lines: 334
    # gap of more than 1000 lines: 335
    # gap of more than 1000 lines: 336
    # gap of more than 1000 lines: 337
    # gap of more than 1000 lines: 338
    # gap of more than 1000 lines: 339
    # gap of more than 1000 lines: 340
    # gap of more than 1000 lines: 341
    # gap of more than 1000 lines: 342
    # gap of more than 1000 lines: 343
    # gap of more than 1000 lines: 344
    # gap of more than 1000 lines: 345
    # gap of more than 1000 lines: 346
    # gap of more than 1000 lines: 347
    # gap of more than 1000 lines: 348
    # gap of more than 1000 lines: 349
    # gap of more than 1000 lines: 350
    # gap of more than 1000 lines: 351
    # gap of more than 1000 lines: 352
    # gap of more than 1000 lines: 353
    # gap of more than 1000 lines: 354
    # gap of more than 1000 lines: 355
    # gap of more than 1000 lines: 356
    # gap of more than 1000 lines: 357
    # gap of more than 1000 lines: 358
    # gap of more than 1000 lines: 359
    # gap of more than 1000 lines: 360
    # gap of more than 1000 lines: 361
    # gap of more than 1000 lines: 362
    # gap of more than 1000 lines: 363
    # gap of more than 1000 lines: 364
    # gap of more than 1000 lines: 365
    # gap of more than 1000 lines: 366
    # gap of more than 1000 lines: 367
    # gap of more than 1000 lines: 368
    # gap of more than 1000 lines: 369
    # gap of more than 1000 lines: 370
    # gap of more than 1000 lines: 371
    # gap of more than 1000 lines: 372
    # gap of more than 1000 lines: 373
    # gap of more than 1000 lines: 374
    # gap of more than 1000 lines: 375
    # gap of more than 1000 lines: 376
    # gap of more than 1000 lines: 377
    # gap of more than 1000 lines: 378
    # gap of more than 1000 lines: 379
    # gap of more than 1000 lines: 380
    # gap of more than 1000 lines: 381
    # gap of more than 1000 lines: 382
    # gap of more than 1000 lines: 383
    # gap of more than 1000 lines: 384
    # gap of more than 1000 lines: 385
    # gap of more than 1000 lines: 386
    # gap of more than 1000 lines: 387
    # gap of more than 1000 lines: 388
    # gap of more than 1000 lines: 389
    # gap of more than 1000 lines: 390
    # gap of more than 1000 lines: 391
    # gap of more than 1000 lines: 392
    # gap of more than 1000 lines: 393
    # gap of more than 1000 lines: 394
    # gap of more than 1000 lines: 395
    # gap of more than 1000 lines: 396
    # gap of more than 1000 lines: 397
    # gap of more than 1000 lines: 398
    # gap of more than 1000 lines: 399
    # gap of more than 1000 lines: 400
    # gap of more than 1000 lines: 401
    # gap of more than 1000 lines: 402
    # gap of more than 1000 lines: 403
    # gap of more than 1000 lines: 404
    # gap of more than 1000 lines: 405
    # gap of more than 1000 lines: 406
    # gap of more than 1000 lines: 407
    # gap of more than 1000 lines: 408
    # gap of more than 1000 lines: 409
    # gap of more than 1000 lines: 410
    # gap of more than 1000 lines: 411
    # gap of more than 1000 lines: 412
    # gap of more than 1000 lines: 413
    # gap of more than 1000 lines: 414
    # gap of more than 1000 lines: 415
    # gap of more than 1000 lines: 416
    # gap of more than 1000 lines: 417
    # gap of more than 1000 lines: 418
    # gap of more than 1000 lines: 419
    # gap of more than 1000 lines: 420
    # gap of more than 1000 lines: 421
    # gap of more than 1000 lines: 422
    # gap of more than 1000 lines: 423
    # gap of more than 1000 lines: 424
    # gap of more than 1000 lines: 425
    # gap of more than 1000 lines: 426
    # gap of more than 1000 lines: 427
    # gap of more than 1000 lines: 428
    # gap of more than 1000 lines: 429
    # gap of more than 1000 lines: 430
    # gap of more than 1000 lines: 431
    # gap of more than 1000 lines: 432
    # gap of more than 1000 lines: 433
    # gap of more than 1000 lines: 434
    # gap of more than 1000 lines: 435
    # gap of more than 1000 lines: 436
    # gap of more than 1000 lines: 437
    # gap of more than 1000 lines: 438
    # gap of more than 1000 lines: 439
    # gap of more than 1000 lines: 440
    # gap of more than 1000 lines: 441
    # gap of more than 1000 lines: 442
    # gap of more than 1000 lines: 443
    # gap of more than 1000 lines: 444
    # gap of more than 1000 lines: 445
    # gap of more than 1000 lines: 446
    # gap of more than 1000 lines: 447
    # gap of more than 1000 lines: 448
    # gap of more than 1000 lines: 449
    # gap of more than 1000 lines: 450
    # gap of more than 1000 lines: 451
    # gap of more than 1000 lines: 452
    # gap of more than 1000 lines: 453
    # gap of more than 1000 lines: 454
    # gap of more than 1000 lines: 455
    # gap of more than 1000 lines: 456
    # gap of more than 1000 lines: 457
    # gap of more than 1000 lines: 458
    # gap of more than 1000 lines: 459
    # gap of more than 1000 lines: 460
    # gap of more than 1000 lines: 461
    # gap of more than 1000 lines: 462
    # gap of more than 1000 lines: 463
    # gap of more than 1000 lines: 464
    # gap of more than 1000 lines: 465
    # gap of more than 1000 lines: 466
    # gap of more than 1000 lines: 467
    # gap of more than 1000 lines: 468
    # gap of more than 1000 lines: 469
    # gap of more than 1000 lines: 470
    # gap of more than 1000 lines: 471
    # gap of more than 1000 lines: 472
    # gap of more than 1000 lines: 473
    # gap of more than 1000 lines: 474
    # gap of more than 1000 lines: 475
    # gap of more than 1000 lines: 476
    # gap of more than 1000 lines: 477
    # gap of more than 1000 lines: 478
    # gap of more than 1000 lines: 479
    # gap of more than 1000 lines: 480
    # gap of more than 1000 lines: 481
    # gap of more than 1000 lines: 482
    # gap of more than 1000 lines: 483
    # gap of more than 1000 lines: 484
    # gap of more than 1000 lines: 485
    # gap of more than 1000 lines: 486
    # gap of more than 1000 lines: 487
    # gap of more than 1000 lines: 488
    # gap of more than 1000 lines: 489
    # gap of more than 1000 lines: 490
    # gap of more than 1000 lines: 491
    # gap of more than 1000 lines: 492
    # gap of more than 1000 lines: 493
    # gap of more than 1000 lines: 494
    # gap of more than 1000 lines: 495
    # gap of more than 1000 lines: 496
    # gap of more than 1000 lines: 497
    # gap of more than 1000 lines: 498
    # gap of more than 1000 lines: 499
    # gap of more than 1000 lines: 500
    # gap of more than 1000 lines: 501
    # gap of more than 1000 lines: 502
    # gap of more than 1000 lines: 503
    # gap of more than 1000 lines: 504
    # gap of more than 1000 lines: 505
    # gap of more than 1000 lines: 506
    # gap of more than 1000 lines: 507
    # gap of more than 1000 lines: 508
    # gap of more than 1000 lines: 509
    # gap of more than 1000 lines: 510
    # gap of more than 1000 lines: 511
    # gap of more than 1000 lines: 512
    # gap of more than 1000 lines: 513
    # gap of more than 1000 lines: 514
    # gap of more than 1000 lines: 515
    # gap of more than 1000 lines: 516
    # gap of more than 1000 lines: 517
    # gap of more than 1000 lines: 518
    # gap of more than 1000 lines: 519
    # gap of more than 1000 lines: 520
    # gap of more than 1000 lines: 521
    # gap of more than 1000 lines: 522
    # gap of more than 1000 lines: 523
    # gap of more than 1000 lines: 524
    # gap of more than 1000 lines: 525
    # gap of more than 1000 lines: 526
    # gap of more than 1000 lines: 527
    # gap of more than 1000 lines: 528
    # gap of more than 1000 lines: 529
    # gap of more than 1000 lines: 530
    # gap of more than 1000 lines: 531
    # gap of more than 1000 lines: 532
    # gap of more than 1000 lines: 533
    # gap of more than 1000 lines: 534
    # gap of more than 1000 lines: 535
    # gap of more than 1000 lines: 536
    # gap of more than 1000 lines: 537
    # gap of more than 1000 lines: 538
    # gap of more than 1000 lines: 539
    # gap of more than 1000 lines: 540
    # gap of more than 1000 lines: 541
    # gap of more than 1000 lines: 542
    # gap of more than 1000 lines: 543
    # gap of more than 1000 lines: 544
    # gap of more than 1000 lines: 545
    # gap of more than 1000 lines: 546
    # gap of more than 1000 lines: 547
    # gap of more than 1000 lines: 548
    # gap of more than 1000 lines: 549
    # gap of more than 1000 lines: 550
    # gap of more than 1000 lines: 551
    # gap of more than 1000 lines: 552
    # gap of more than 1000 lines: 553
    # gap of more than 1000 lines: 554
    # gap of more than 1000 lines: 555
    # gap of more than 1000 lines: 556
    # gap of more than 1000 lines: 557
    # gap of more than 1000 lines: 558
    # gap of more than 1000 lines: 559
    # gap of more than 1000 lines: 560
    # gap of more than 1000 lines: 561
    # gap of more than 1000 lines: 562
    # gap of more than 1000 lines: 563
    # gap of more than 1000 lines: 564
    # gap of more than 1000 lines: 565
    # gap of more than 1000 lines: 566
    # gap of more than 1000 lines: 567
    # gap of more than 1000 lines: 568
    # gap of more than 1000 lines: 569
    # gap of more than 1000 lines: 570
    # gap of more than 1000 lines: 571
    # gap of more than 1000 lines: 572
    # gap of more than 1000 lines: 573
    # gap of more than 1000 lines: 574
    # gap of more than 1000 lines: 575
    # gap of more than 1000 lines: 576
    # gap of more than 1000 lines: 577
    # gap of more than 1000 lines: 578
    # gap of more than 1000 lines: 579
    # gap of more than 1000 lines: 580
    # gap of more than 1000 lines: 581
    # gap of more than 1000 lines: 582
    # gap of more than 1000 lines: 583
    # gap of more than 1000 lines: 584
    # gap of more than 1000 lines: 585
    # gap of more than 1000 lines: 586
    # gap of more than 1000 lines: 587
    # gap of more than 1000 lines: 588
    # gap of more than 1000 lines: 589
    # gap of more than 1000 lines: 590
    # gap of more than 1000 lines: 591
    # gap of more than 1000 lines: 592
    # gap of more than 1000 lines: 593
    # gap of more than 1000 lines: 594
    # gap of more than 1000 lines: 595
    # gap of more than 1000 lines: 596
    # gap of more than 1000 lines: 597
    # gap of more than 1000 lines: 598
    # gap of more than 1000 lines: 599
    # gap of more than 1000 lines: 600
    # gap of more than 1000 lines: 601
    # gap of more than 1000 lines: 602
    # gap of more than 1000 lines: 603
    # gap of more than 1000 lines: 604
    # gap of more than 1000 lines: 605
    # gap of more than 1000 lines: 606
    # gap of more than 1000 lines: 607
    # gap of more than 1000 lines: 608
    # gap of more than 1000 lines: 609
    # gap of more than 1000 lines: 610
    # gap of more than 1000 lines: 611
    # gap of more than 1000 lines: 612
    # gap of more than 1000 lines: 613
    # gap of more than 1000 lines: 614
    # gap of more than 1000 lines: 615
    # gap of more than 1000 lines: 616
    # gap of more than 1000 lines: 617
    # gap of more than 1000 lines: 618
    # gap of more than 1000 lines: 619
    # gap of more than 1000 lines: 620
    # gap of more than 1000 lines: 621
    # gap of more than 1000 lines: 622
    # gap of more than 1000 lines: 623
    # gap of more than 1000 lines: 624
    # gap of more than 1000 lines: 625
    # gap of more than 1000 lines: 626
    # gap of more than 1000 lines: 627
    # gap of more than 1000 lines: 628
    # gap of more than 1000 lines: 629
    # gap of more than 1000 lines: 630
    # gap of more than 1000 lines: 631
    # gap of more than 1000 lines: 632
    # gap of more than 1000 lines: 633
    # gap of more than 1000 lines: 634
    # gap of more than 1000 lines: 635
    # gap of more than 1000 lines: 636
    # gap of more than 1000 lines: 637
    # gap of more than 1000 lines: 638
    # gap of more than 1000 lines: 639
    # gap of more than 1000 lines: 640
    # gap of more than 1000 lines: 641
    # gap of more than 1000 lines: 642
    # gap of more than 1000 lines: 643
    # gap of more than 1000 lines: 644
    # gap of more than 1000 lines: 645
    # gap of more than 1000 lines: 646
    # gap of more than 1000 lines: 647
    # gap of more than 1000 lines: 648
    # gap of more than 1000 lines: 649
    # gap of more than 1000 lines: 650
    # gap of more than 1000 lines: 651
    # gap of more than 1000 lines: 652
    # gap of more than 1000 lines: 653
    # gap of more than 1000 lines: 654
    # gap of more than 1000 lines: 655
    # gap of more than 1000 lines: 656
    # gap of more than 1000 lines: 657
    # gap of more than 1000 lines: 658
    # gap of more than 1000 lines: 659
    # gap of more than 1000 lines: 660
    # gap of more than 1000 lines: 661
    # gap of more than 1000 lines: 662
    # gap of more than 1000 lines: 663
    # gap of more than 1000 lines: 664
    # gap of more than 1000 lines: 665
    # gap of more than 1000 lines: 666
    # gap of more than 1000 lines: 667
    # gap of more than 1000 lines: 668
    # gap of more than 1000 lines: 669
    # gap of more than 1000 lines: 670
    # gap of more than 1000 lines: 671
    # gap of more than 1000 lines: 672
    # gap of more than 1000 lines: 673
    # gap of more than 1000 lines: 674
    # gap of more than 1000 lines: 675
    # gap of more than 1000 lines: 676
    # gap of more than 1000 lines: 677
    # gap of more than 1000 lines: 678
    # gap of more than 1000 lines: 679
    # gap of more than 1000 lines: 680
    # gap of more than 1000 lines: 681
    # gap of more than 1000 lines: 682
    # gap of more than 1000 lines: 683
    # gap of more than 1000 lines: 684
    # gap of more than 1000 lines: 685
    # gap of more than 1000 lines: 686
    # gap of more than 1000 lines: 687
    # gap of more than 1000 lines: 688
    # gap of more than 1000 lines: 689
    # gap of more than 1000 lines: 690
    # gap of more than 1000 lines: 691
    # gap of more than 1000 lines: 692
    # gap of more than 1000 lines: 693
    # gap of more than 1000 lines: 694
    # gap of more than 1000 lines: 695
    # gap of more than 1000 lines: 696
    # gap of more than 1000 lines: 697
    # gap of more than 1000 lines: 698
    # gap of more than 1000 lines: 699
    # gap of more than 1000 lines: 700
    # gap of more than 1000 lines: 701
    # gap of more than 1000 lines: 702
    # gap of more than 1000 lines: 703
    # gap of more than 1000 lines: 704
    # gap of more than 1000 lines: 705
    # gap of more than 1000 lines: 706
    # gap of more than 1000 lines: 707
    # gap of more than 1000 lines: 708
    # gap of more than 1000 lines: 709
    # gap of more than 1000 lines: 710
    # gap of more than 1000 lines: 711
    # gap of more than 1000 lines: 712
    # gap of more than 1000 lines: 713
    # gap of more than 1000 lines: 714
    # gap of more than 1000 lines: 715
    # gap of more than 1000 lines: 716
    # gap of more than 1000 lines: 717
    # gap of more than 1000 lines: 718
    # gap of more than 1000 lines: 719
    # gap of more than 1000 lines: 720
    # gap of more than 1000 lines: 721
    # gap of more than 1000 lines: 722
    # gap of more than 1000 lines: 723
    # gap of more than 1000 lines: 724
    # gap of more than 1000 lines: 725
    # gap of more than 1000 lines: 726
    # gap of more than 1000 lines: 727
    # gap of more than 1000 lines: 728
    # gap of more than 1000 lines: 729
    # gap of more than 1000 lines: 730
    # gap of more than 1000 lines: 731
    # gap of more than 1000 lines: 732
    # gap of more than 1000 lines: 733
    # gap of more than 1000 lines: 734
    # gap of more than 1000 lines: 735
    # gap of more than 1000 lines: 736
    # gap of more than 1000 lines: 737
    # gap of more than 1000 lines: 738
    # gap of more than 1000 lines: 739
    # gap of more than 1000 lines: 740
    # gap of more than 1000 lines: 741
    # gap of more than 1000 lines: 742
    # gap of more than 1000 lines: 743
    # gap of more than 1000 lines: 744
    # gap of more than 1000 lines: 745
    # gap of more than 1000 lines: 746
    # gap of more than 1000 lines: 747
    # gap of more than 1000 lines: 748
    # gap of more than 1000 lines: 749
    # gap of more than 1000 lines: 750
    # gap of more than 1000 lines: 751
    # gap of more than 1000 lines: 752
    # gap of more than 1000 lines: 753
    # gap of more than 1000 lines: 754
    # gap of more than 1000 lines: 755
    # gap of more than 1000 lines: 756
    # gap of more than 1000 lines: 757
    # gap of more than 1000 lines: 758
    # gap of more than 1000 lines: 759
    # gap of more than 1000 lines: 760
    # gap of more than 1000 lines: 761
    # gap of more than 1000 lines: 762
    # gap of more than 1000 lines: 763
    # gap of more than 1000 lines: 764
    # gap of more than 1000 lines: 765
    # gap of more than 1000 lines: 766
    # gap of more than 1000 lines: 767
    # gap of more than 1000 lines: 768
    # gap of more than 1000 lines: 769
    # gap of more than 1000 lines: 770
    # gap of more than 1000 lines: 771
    # gap of more than 1000 lines: 772
    # gap of more than 1000 lines: 773
    # gap of more than 1000 lines: 774
    # gap of more than 1000 lines: 775
    # gap of more than 1000 lines: 776
    # gap of more than 1000 lines: 777
    # gap of more than 1000 lines: 778
    # gap of more than 1000 lines: 779
    # gap of more than 1000 lines: 780
    # gap of more than 1000 lines: 781
    # gap of more than 1000 lines: 782
    # gap of more than 1000 lines: 783
    # gap of more than 1000 lines: 784
    # gap of more than 1000 lines: 785
    # gap of more than 1000 lines: 786
    # gap of more than 1000 lines: 787
    # gap of more than 1000 lines: 788
    # gap of more than 1000 lines: 789
    # gap of more than 1000 lines: 790
    # gap of more than 1000 lines: 791
    # gap of more than 1000 lines: 792
    # gap of more than 1000 lines: 793
    # gap of more than 1000 lines: 794
    # gap of more than 1000 lines: 795
    # gap of more than 1000 lines: 796
    # gap of more than 1000 lines: 797
    # gap of more than 1000 lines: 798
    # gap of more than 1000 lines: 799
    # gap of more than 1000 lines: 800
    # gap of more than 1000 lines: 801
    # gap of more than 1000 lines: 802
    # gap of more than 1000 lines: 803
    # gap of more than 1000 lines: 804
    # gap of more than 1000 lines: 805
    # gap of more than 1000 lines: 806
    # gap of more than 1000 lines: 807
    # gap of more than 1000 lines: 808
    # gap of more than 1000 lines: 809
    # gap of more than 1000 lines: 810
    # gap of more than 1000 lines: 811
    # gap of more than 1000 lines: 812
    # gap of more than 1000 lines: 813
    # gap of more than 1000 lines: 814
    # gap of more than 1000 lines: 815
    # gap of more than 1000 lines: 816
    # gap of more than 1000 lines: 817
    # gap of more than 1000 lines: 818
    # gap of more than 1000 lines: 819
    # gap of more than 1000 lines: 820
    # gap of more than 1000 lines: 821
    # gap of more than 1000 lines: 822
    # gap of more than 1000 lines: 823
    # gap of more than 1000 lines: 824
    # gap of more than 1000 lines: 825
    # gap of more than 1000 lines: 826
    # gap of more than 1000 lines: 827
    # gap of more than 1000 lines: 828
    # gap of more than 1000 lines: 829
    # gap of more than 1000 lines: 830
    # gap of more than 1000 lines: 831
    # gap of more than 1000 lines: 832
    # gap of more than 1000 lines: 833
    # gap of more than 1000 lines: 834
    # gap of more than 1000 lines: 835
    # gap of more than 1000 lines: 836
    # gap of more than 1000 lines: 837
    # gap of more than 1000 lines: 838
    # gap of more than 1000 lines: 839
    # gap of more than 1000 lines: 840
    # gap of more than 1000 lines: 841
    # gap of more than 1000 lines: 842
    # gap of more than 1000 lines: 843
    # gap of more than 1000 lines: 844
    # gap of more than 1000 lines: 845
    # gap of more than 1000 lines: 846
    # gap of more than 1000 lines: 847
    # gap of more than 1000 lines: 848
    # gap of more than 1000 lines: 849
    # gap of more than 1000 lines: 850
    # gap of more than 1000 lines: 851
    # gap of more than 1000 lines: 852
    # gap of more than 1000 lines: 853
    # gap of more than 1000 lines: 854
    # gap of more than 1000 lines: 855
    # gap of more than 1000 lines: 856
    # gap of more than 1000 lines: 857
    # gap of more than 1000 lines: 858
    # gap of more than 1000 lines: 859
    # gap of more than 1000 lines: 860
    # gap of more than 1000 lines: 861
    # gap of more than 1000 lines: 862
    # gap of more than 1000 lines: 863
    # gap of more than 1000 lines: 864
    # gap of more than 1000 lines: 865
    # gap of more than 1000 lines: 866
    # gap of more than 1000 lines: 867
    # gap of more than 1000 lines: 868
    # gap of more than 1000 lines: 869
    # gap of more than 1000 lines: 870
    # gap of more than 1000 lines: 871
    # gap of more than 1000 lines: 872
    # gap of more than 1000 lines: 873
    # gap of more than 1000 lines: 874
    # gap of more than 1000 lines: 875
    # gap of more than 1000 lines: 876
    # gap of more than 1000 lines: 877
    # gap of more than 1000 lines: 878
    # gap of more than 1000 lines: 879
    # gap of more than 1000 lines: 880
    # gap of more than 1000 lines: 881
    # gap of more than 1000 lines: 882
    # gap of more than 1000 lines: 883
    # gap of more than 1000 lines: 884
    # gap of more than 1000 lines: 885
    # gap of more than 1000 lines: 886
    # gap of more than 1000 lines: 887
    # gap of more than 1000 lines: 888
    # gap of more than 1000 lines: 889
    # gap of more than 1000 lines: 890
    # gap of more than 1000 lines: 891
    # gap of more than 1000 lines: 892
    # gap of more than 1000 lines: 893
    # gap of more than 1000 lines: 894
    # gap of more than 1000 lines: 895
    # gap of more than 1000 lines: 896
    # gap of more than 1000 lines: 897
    # gap of more than 1000 lines: 898
    # gap of more than 1000 lines: 899
    # gap of more than 1000 lines: 900
    # gap of more than 1000 lines: 901
    # gap of more than 1000 lines: 902
    # gap of more than 1000 lines: 903
    # gap of more than 1000 lines: 904
    # gap of more than 1000 lines: 905
    # gap of more than 1000 lines: 906
    # gap of more than 1000 lines: 907
    # gap of more than 1000 lines: 908
    # gap of more than 1000 lines: 909
    # gap of more than 1000 lines: 910
    # gap of more than 1000 lines: 911
    # gap of more than 1000 lines: 912
    # gap of more than 1000 lines: 913
    # gap of more than 1000 lines: 914
    # gap of more than 1000 lines: 915
    # gap of more than 1000 lines: 916
    # gap of more than 1000 lines: 917
    # gap of more than 1000 lines: 918
    # gap of more than 1000 lines: 919
    # gap of more than 1000 lines: 920
    # gap of more than 1000 lines: 921
    # gap of more than 1000 lines: 922
    # gap of more than 1000 lines: 923
    # gap of more than 1000 lines: 924
    # gap of more than 1000 lines: 925
    # gap of more than 1000 lines: 926
    # gap of more than 1000 lines: 927
    # gap of more than 1000 lines: 928
    # gap of more than 1000 lines: 929
    # gap of more than 1000 lines: 930
    # gap of more than 1000 lines: 931
    # gap of more than 1000 lines: 932
    # gap of more than 1000 lines: 933
    # gap of more than 1000 lines: 934
    # gap of more than 1000 lines: 935
    # gap of more than 1000 lines: 936
    # gap of more than 1000 lines: 937
    # gap of more than 1000 lines: 938
    # gap of more than 1000 lines: 939
    # gap of more than 1000 lines: 940
    # gap of more than 1000 lines: 941
    # gap of more than 1000 lines: 942
    # gap of more than 1000 lines: 943
    # gap of more than 1000 lines: 944
    # gap of more than 1000 lines: 945
    # gap of more than 1000 lines: 946
    # gap of more than 1000 lines: 947
    # gap of more than 1000 lines: 948
    # gap of more than 1000 lines: 949
    # gap of more than 1000 lines: 950
    # gap of more than 1000 lines: 951
    # gap of more than 1000 lines: 952
    # gap of more than 1000 lines: 953
    # gap of more than 1000 lines: 954
    # gap of more than 1000 lines: 955
    # gap of more than 1000 lines: 956
    # gap of more than 1000 lines: 957
    # gap of more than 1000 lines: 958
    # gap of more than 1000 lines: 959
    # gap of more than 1000 lines: 960
    # gap of more than 1000 lines: 961
    # gap of more than 1000 lines: 962
    # gap of more than 1000 lines: 963
    # gap of more than 1000 lines: 964
    # gap of more than 1000 lines: 965
    # gap of more than 1000 lines: 966
    # gap of more than 1000 lines: 967
    # gap of more than 1000 lines: 968
    # gap of more than 1000 lines: 969
    # gap of more than 1000 lines: 970
    # gap of more than 1000 lines: 971
    # gap of more than 1000 lines: 972
    # gap of more than 1000 lines: 973
    # gap of more than 1000 lines: 974
    # gap of more than 1000 lines: 975
    # gap of more than 1000 lines: 976
    # gap of more than 1000 lines: 977
    # gap of more than 1000 lines: 978
    # gap of more than 1000 lines: 979
    # gap of more than 1000 lines: 980
    # gap of more than 1000 lines: 981
    # gap of more than 1000 lines: 982
    # gap of more than 1000 lines: 983
    # gap of more than 1000 lines: 984
    # gap of more than 1000 lines: 985
    # gap of more than 1000 lines: 986
    # gap of more than 1000 lines: 987
    # gap of more than 1000 lines: 988
    # gap of more than 1000 lines: 989
    # gap of more than 1000 lines: 990
    # gap of more than 1000 lines: 991
    # gap of more than 1000 lines: 992
    # gap of more than 1000 lines: 993
    # gap of more than 1000 lines: 994
    # gap of more than 1000 lines: 995
    # gap of more than 1000 lines: 996
    # gap of more than 1000 lines: 997
    # gap of more than 1000 lines: 998
    # gap of more than 1000 lines: 999
    # gap of more than 1000 lines: 1000
    # gap of more than 1000 lines: 1001
    # gap of more than 1000 lines: 1002
    # gap of more than 1000 lines: 1003
    # gap of more than 1000 lines: 1004
    # gap of more than 1000 lines: 1005
    # gap of more than 1000 lines: 1006
    # gap of more than 1000 lines: 1007
    # gap of more than 1000 lines: 1008
    # gap of more than 1000 lines: 1009
    # gap of more than 1000 lines: 1010
    # gap of more than 1000 lines: 1011
    # gap of more than 1000 lines: 1012
    # gap of more than 1000 lines: 1013
    # gap of more than 1000 lines: 1014
    # gap of more than 1000 lines: 1015
    # gap of more than 1000 lines: 1016
    # gap of more than 1000 lines: 1017
    # gap of more than 1000 lines: 1018
    # gap of more than 1000 lines: 1019
    # gap of more than 1000 lines: 1020
    # gap of more than 1000 lines: 1021
    # gap of more than 1000 lines: 1022
    # gap of more than 1000 lines: 1023
    # gap of more than 1000 lines: 1024
    # gap of more than 1000 lines: 1025
    # gap of more than 1000 lines: 1026
    # gap of more than 1000 lines: 1027
    # gap of more than 1000 lines: 1028
    # gap of more than 1000 lines: 1029
    # gap of more than 1000 lines: 1030
    # gap of more than 1000 lines: 1031
    # gap of more than 1000 lines: 1032
    # gap of more than 1000 lines: 1033
    # gap of more than 1000 lines: 1034
    # gap of more than 1000 lines: 1035
    # gap of more than 1000 lines: 1036
    # gap of more than 1000 lines: 1037
    # gap of more than 1000 lines: 1038
    # gap of more than 1000 lines: 1039
    # gap of more than 1000 lines: 1040
    # gap of more than 1000 lines: 1041
    # gap of more than 1000 lines: 1042
    # gap of more than 1000 lines: 1043
    # gap of more than 1000 lines: 1044
    # gap of more than 1000 lines: 1045
    # gap of more than 1000 lines: 1046
    # gap of more than 1000 lines: 1047
    # gap of more than 1000 lines: 1048
    # gap of more than 1000 lines: 1049
    # gap of more than 1000 lines: 1050
    # gap of more than 1000 lines: 1051
    # gap of more than 1000 lines: 1052
    # gap of more than 1000 lines: 1053
    # gap of more than 1000 lines: 1054
    # gap of more than 1000 lines: 1055
    # gap of more than 1000 lines: 1056
    # gap of more than 1000 lines: 1057
    # gap of more than 1000 lines: 1058
    # gap of more than 1000 lines: 1059
    # gap of more than 1000 lines: 1060
    # gap of more than 1000 lines: 1061
    # gap of more than 1000 lines: 1062
    # gap of more than 1000 lines: 1063
    # gap of more than 1000 lines: 1064
    # gap of more than 1000 lines: 1065
    # gap of more than 1000 lines: 1066
    # gap of more than 1000 lines: 1067
    # gap of more than 1000 lines: 1068
    # gap of more than 1000 lines: 1069
    # gap of more than 1000 lines: 1070
    # gap of more than 1000 lines: 1071
    # gap of more than 1000 lines: 1072
    # gap of more than 1000 lines: 1073
    # gap of more than 1000 lines: 1074
    # gap of more than 1000 lines: 1075
    # gap of more than 1000 lines: 1076
    # gap of more than 1000 lines: 1077
    # gap of more than 1000 lines: 1078
    # gap of more than 1000 lines: 1079
    # gap of more than 1000 lines: 1080
    # gap of more than 1000 lines: 1081
    # gap of more than 1000 lines: 1082
    # gap of more than 1000 lines: 1083
    # gap of more than 1000 lines: 1084
    # gap of more than 1000 lines: 1085
    # gap of more than 1000 lines: 1086
    # gap of more than 1000 lines: 1087
    # gap of more than 1000 lines: 1088
    # gap of more than 1000 lines: 1089
    # gap of more than 1000 lines: 1090
    # gap of more than 1000 lines: 1091
    # gap of more than 1000 lines: 1092
    # gap of more than 1000 lines: 1093
    # gap of more than 1000 lines: 1094
    # gap of more than 1000 lines: 1095
    # gap of more than 1000 lines: 1096
    # gap of more than 1000 lines: 1097
    # gap of more than 1000 lines: 1098
    # gap of more than 1000 lines: 1099
    z = y - a
    return x, y, z


def backwards_moves(f, a, b):
    r = f(a,
          b,
          a)
    s = f(
        a,
        # two lines per argument (CPython 2.7/3.6 allow 255 arguments)
        a,
        # two lines per argument (CPython 2.7/3.6 allow 255 arguments)
        a,
        # two lines per argument (CPython 2.7/3.6 allow 255 arguments)
        a,
        # two lines per argument (CPython 2.7/3.6 allow 255 arguments)
        a,
        # two lines per argument (CPython 2.7/3.6 allow 255 arguments)
        a,
        # two lines per argument (CPython 2.7/3.6 allow 255 arguments)
        a,
        # two lines per argument (CPython 2.7/3.6 allow 255 arguments)
        a,
        # two lines per argument (CPython 2.7/3.6 allow 255 arguments)
        a,
        # two lines per argument (CPython 2.7/3.6 allow 255 arguments)
        a,
        # two lines per argument (CPython 2.7/3.6 allow 255 arguments)
        a,
        # two lines per argument (CPython 2.7/3.6 allow 255 arguments)
        a,
        # two lines per argument (CPython 2.7/3.6 allow 255 arguments)
        a,
        # two lines per argument (CPython 2.7/3.6 allow 255 arguments)
        a,
        # two lines per argument (CPython 2.7/3.6 allow 255 arguments)
        a,
        # two lines per argument (CPython 2.7/3.6 allow 255 arguments)
        a,
        # two lines per argument (CPython 2.7/3.6 allow 255 arguments)
        a,
        # two lines per argument (CPython 2.7/3.6 allow 255 arguments)
        a,
        # two lines per argument (CPython 2.7/3.6 allow 255 arguments)
        a,
        # two lines per argument (CPython 2.7/3.6 allow 255 arguments)
        a,
        # two lines per argument (CPython 2.7/3.6 allow 255 arguments)
        a,
        # two lines per argument (CPython 2.7/3.6 allow 255 arguments)
        a,
        # two lines per argument (CPython 2.7/3.6 allow 255 arguments)
        a,
        # two lines per argument (CPython 2.7/3.6 allow 255 arguments)
        a,
        # two lines per argument (CPython 2.7/3.6 allow 255 arguments)
        a,
        # two lines per argument (CPython 2.7/3.6 allow 255 arguments)
        a,
        # two lines per argument (CPython 2.7/3.6 allow 255 arguments)
        a,
        # two lines per argument (CPython 2.7/3.6 allow 255 arguments)
        a,
        # two lines per argument (CPython 2.7/3.6 allow 255 arguments)
        a,
        # two lines per argument (CPython 2.7/3.6 allow 255 arguments)
        a,
        # two lines per argument (CPython 2.7/3.6 allow 255 arguments)
        a,
        # two lines per argument (CPython 2.7/3.6 allow 255 arguments)
        a,
        # two lines per argument (CPython 2.7/3.6 allow 255 arguments)
        a,
        # two lines per argument (CPython 2.7/3.6 allow 255 arguments)
        a,
        # two lines per argument (CPython 2.7/3.6 allow 255 arguments)
        a,
        # two lines per argument (CPython 2.7/3.6 allow 255 arguments)
        a,
        # two lines per argument (CPython 2.7/3.6 allow 255 arguments)
        a,
        # two lines per argument (CPython 2.7/3.6 allow 255 arguments)
        a,
        # two lines per argument (CPython 2.7/3.6 allow 255 arguments)
        a,
        # two lines per argument (CPython 2.7/3.6 allow 255 arguments)
        a,
        # two lines per argument (CPython 2.7/3.6 allow 255 arguments)
        a,
        # two lines per argument (CPython 2.7/3.6 allow 255 arguments)
        a,
        # two lines per argument (CPython 2.7/3.6 allow 255 arguments)
        a,
        # two lines per argument (CPython 2.7/3.6 allow 255 arguments)
        a,
        # two lines per argument (CPython 2.7/3.6 allow 255 arguments)
        a,
        # two lines per argument (CPython 2.7/3.6 allow 255 arguments)
        a,
        # two lines per argument (CPython 2.7/3.6 allow 255 arguments)
        a,
        # two lines per argument (CPython 2.7/3.6 allow 255 arguments)
        a,
        # two lines per argument (CPython 2.7/3.6 allow 255 arguments)
        a,
        # two lines per argument (CPython 2.7/3.6 allow 255 arguments)
        a,
        # two lines per argument (CPython 2.7/3.6 allow 255 arguments)
        a,
        # two lines per argument (CPython 2.7/3.6 allow 255 arguments)
        a,
        # two lines per argument (CPython 2.7/3.6 allow 255 arguments)
        a,
        # two lines per argument (CPython 2.7/3.6 allow 255 arguments)
        a,
        # two lines per argument (CPython 2.7/3.6 allow 255 arguments)
        a,
        # two lines per argument (CPython 2.7/3.6 allow 255 arguments)
        a,
        # two lines per argument (CPython 2.7/3.6 allow 255 arguments)
        a,
        # two lines per argument (CPython 2.7/3.6 allow 255 arguments)
        a,
        # two lines per argument (CPython 2.7/3.6 allow 255 arguments)
        a,
        # two lines per argument (CPython 2.7/3.6 allow 255 arguments)
        a,
        # two lines per argument (CPython 2.7/3.6 allow 255 arguments)
        a,
        # two lines per argument (CPython 2.7/3.6 allow 255 arguments)
        a,
        # two lines per argument (CPython 2.7/3.6 allow 255 arguments)
        a,
        # two lines per argument (CPython 2.7/3.6 allow 255 arguments)
        a,
        # two lines per argument (CPython 2.7/3.6 allow 255 arguments)
        a,
        # two lines per argument (CPython 2.7/3.6 allow 255 arguments)
        a,
        # two lines per argument (CPython 2.7/3.6 allow 255 arguments)
        a,
        # two lines per argument (CPython 2.7/3.6 allow 255 arguments)
        a,
        # two lines per argument (CPython 2.7/3.6 allow 255 arguments)
        a,
        # two lines per argument (CPython 2.7/3.6 allow 255 arguments)
        a,
        # two lines per argument (CPython 2.7/3.6 allow 255 arguments)
        a,
        # two lines per argument (CPython 2.7/3.6 allow 255 arguments)
        a,
        # two lines per argument (CPython 2.7/3.6 allow 255 arguments)
        a,
        # two lines per argument (CPython 2.7/3.6 allow 255 arguments)
        a,
        # two lines per argument (CPython 2.7/3.6 allow 255 arguments)
        a,
        # two lines per argument (CPython 2.7/3.6 allow 255 arguments)
        a,
        # two lines per argument (CPython 2.7/3.6 allow 255 arguments)
        a,
        # two lines per argument (CPython 2.7/3.6 allow 255 arguments)
        a,
        # two lines per argument (CPython 2.7/3.6 allow 255 arguments)
        a,
        # two lines per argument (CPython 2.7/3.6 allow 255 arguments)
        a,
        # two lines per argument (CPython 2.7/3.6 allow 255 arguments)
        a,
        # two lines per argument (CPython 2.7/3.6 allow 255 arguments)
        a,
        # two lines per argument (CPython 2.7/3.6 allow 255 arguments)
        a,
        # two lines per argument (CPython 2.7/3.6 allow 255 arguments)
        a,
        # two lines per argument (CPython 2.7/3.6 allow 255 arguments)
        a,
        # two lines per argument (CPython 2.7/3.6 allow 255 arguments)
        a,
        # two lines per argument (CPython 2.7/3.6 allow 255 arguments)
        a,
        # two lines per argument (CPython 2.7/3.6 allow 255 arguments)
        a,
        # two lines per argument (CPython 2.7/3.6 allow 255 arguments)
        a,
        # two lines per argument (CPython 2.7/3.6 allow 255 arguments)
        a,
        # two lines per argument (CPython 2.7/3.6 allow 255 arguments)
        a,
        # two lines per argument (CPython 2.7/3.6 allow 255 arguments)
        a,
        # two lines per argument (CPython 2.7/3.6 allow 255 arguments)
        a,
        # two lines per argument (CPython 2.7/3.6 allow 255 arguments)
        a,
        # two lines per argument (CPython 2.7/3.6 allow 255 arguments)
        a,
        # two lines per argument (CPython 2.7/3.6 allow 255 arguments)
        a,
        # two lines per argument (CPython 2.7/3.6 allow 255 arguments)
        a,
        # two lines per argument (CPython 2.7/3.6 allow 255 arguments)
        a,
        # two lines per argument (CPython 2.7/3.6 allow 255 arguments)
        a,
        # two lines per argument (CPython 2.7/3.6 allow 255 arguments)
        a,
        # two lines per argument (CPython 2.7/3.6 allow 255 arguments)
        a,
        # two lines per argument (CPython 2.7/3.6 allow 255 arguments)
        a,
        # two lines per argument (CPython 2.7/3.6 allow 255 arguments)
        a,
        # two lines per argument (CPython 2.7/3.6 allow 255 arguments)
        a,
        # two lines per argument (CPython 2.7/3.6 allow 255 arguments)
        a,
        # two lines per argument (CPython 2.7/3.6 allow 255 arguments)
        a,
        # two lines per argument (CPython 2.7/3.6 allow 255 arguments)
        a,
        # two lines per argument (CPython 2.7/3.6 allow 255 arguments)
        a,
        # two lines per argument (CPython 2.7/3.6 allow 255 arguments)
        a,
        # two lines per argument (CPython 2.7/3.6 allow 255 arguments)
        a,
        # two lines per argument (CPython 2.7/3.6 allow 255 arguments)
        a,
        # two lines per argument (CPython 2.7/3.6 allow 255 arguments)
        a,
        # two lines per argument (CPython 2.7/3.6 allow 255 arguments)
        a,
        # two lines per argument (CPython 2.7/3.6 allow 255 arguments)
        a,
        # two lines per argument (CPython 2.7/3.6 allow 255 arguments)
        a,
        # two lines per argument (CPython 2.7/3.6 allow 255 arguments)
        a,
        # two lines per argument (CPython 2.7/3.6 allow 255 arguments)
        a,
        # two lines per argument (CPython 2.7/3.6 allow 255 arguments)
        a,
        # two lines per argument (CPython 2.7/3.6 allow 255 arguments)
        a,
        # two lines per argument (CPython 2.7/3.6 allow 255 arguments)
        a,
        # two lines per argument (CPython 2.7/3.6 allow 255 arguments)
        a,
        # two lines per argument (CPython 2.7/3.6 allow 255 arguments)
        a,
        # two lines per argument (CPython 2.7/3.6 allow 255 arguments)
        a,
        # two lines per argument (CPython 2.7/3.6 allow 255 arguments)
        a,
        # two lines per argument (CPython 2.7/3.6 allow 255 arguments)
        a,
        # two lines per argument (CPython 2.7/3.6 allow 255 arguments)
        a,
        # two lines per argument (CPython 2.7/3.6 allow 255 arguments)
        a,
        # two lines per argument (CPython 2.7/3.6 allow 255 arguments)
        a,
        # two lines per argument (CPython 2.7/3.6 allow 255 arguments)
        a,
        # two lines per argument (CPython 2.7/3.6 allow 255 arguments)
        a,
        # two lines per argument (CPython 2.7/3.6 allow 255 arguments)
        a,
        # two lines per argument (CPython 2.7/3.6 allow 255 arguments)
        a,
        # two lines per argument (CPython 2.7/3.6 allow 255 arguments)
        a,
        # two lines per argument (CPython 2.7/3.6 allow 255 arguments)
        a,
        # two lines per argument (CPython 2.7/3.6 allow 255 arguments)
        a,
        # two lines per argument (CPython 2.7/3.6 allow 255 arguments)
        a,
        # two lines per argument (CPython 2.7/3.6 allow 255 arguments)
        a,
        # two lines per argument (CPython 2.7/3.6 allow 255 arguments)
        a,
        # two lines per argument (CPython 2.7/3.6 allow 255 arguments)
        a,
        # two lines per argument (CPython 2.7/3.6 allow 255 arguments)
        a,
        # two lines per argument (CPython 2.7/3.6 allow 255 arguments)
        a,
        # two lines per argument (CPython 2.7/3.6 allow 255 arguments)
        a,
        # two lines per argument (CPython 2.7/3.6 allow 255 arguments)
        a,
        # two lines per argument (CPython 2.7/3.6 allow 255 arguments)
        a,
        # two lines per argument (CPython 2.7/3.6 allow 255 arguments)
        a,
        # two lines per argument (CPython 2.7/3.6 allow 255 arguments)
        a,
        # two lines per argument (CPython 2.7/3.6 allow 255 arguments)
        a,
        # two lines per argument (CPython 2.7/3.6 allow 255 arguments)
        a,
        # two lines per argument (CPython 2.7/3.6 allow 255 arguments)
        a,
        # two lines per argument (CPython 2.7/3.6 allow 255 arguments)
        a,
        # two lines per argument (CPython 2.7/3.6 allow 255 arguments)
        a,
        # two lines per argument (CPython 2.7/3.6 allow 255 arguments)
        a,
        # two lines per argument (CPython 2.7/3.6 allow 255 arguments)
        a,
        # two lines per argument (CPython 2.7/3.6 allow 255 arguments)
        a,
        # two lines per argument (CPython 2.7/3.6 allow 255 arguments)
        a,
        # two lines per argument (CPython 2.7/3.6 allow 255 arguments)
        a,
        # two lines per argument (CPython 2.7/3.6 allow 255 arguments)
        a,
        # two lines per argument (CPython 2.7/3.6 allow 255 arguments)
        a,
        # two lines per argument (CPython 2.7/3.6 allow 255 arguments)
        a,
        # two lines per argument (CPython 2.7/3.6 allow 255 arguments)
        a,
        # two lines per argument (CPython 2.7/3.6 allow 255 arguments)
        a,
        # two lines per argument (CPython 2.7/3.6 allow 255 arguments)
        a,
        # two lines per argument (CPython 2.7/3.6 allow 255 arguments)
        a,
        # two lines per argument (CPython 2.7/3.6 allow 255 arguments)
        a,
        # two lines per argument (CPython 2.7/3.6 allow 255 arguments)
        a,
        # two lines per argument (CPython 2.7/3.6 allow 255 arguments)
        a,
        # two lines per argument (CPython 2.7/3.6 allow 255 arguments)
        a,
        # two lines per argument (CPython 2.7/3.6 allow 255 arguments)
        a,
        # two lines per argument (CPython 2.7/3.6 allow 255 arguments)
        a,
        # two lines per argument (CPython 2.7/3.6 allow 255 arguments)
        a,
        # two lines per argument (CPython 2.7/3.6 allow 255 arguments)
        a,
        # two lines per argument (CPython 2.7/3.6 allow 255 arguments)
        a,
        # two lines per argument (CPython 2.7/3.6 allow 255 arguments)
        a,
        # two lines per argument (CPython 2.7/3.6 allow 255 arguments)
        a,
        # two lines per argument (CPython 2.7/3.6 allow 255 arguments)
        a,
        # two lines per argument (CPython 2.7/3.6 allow 255 arguments)
        a,
        # two lines per argument (CPython 2.7/3.6 allow 255 arguments)
        a,
        # two lines per argument (CPython 2.7/3.6 allow 255 arguments)
        a,
        # two lines per argument (CPython 2.7/3.6 allow 255 arguments)
        a,
        # two lines per argument (CPython 2.7/3.6 allow 255 arguments)
        a,
        # two lines per argument (CPython 2.7/3.6 allow 255 arguments)
        a,
        # two lines per argument (CPython 2.7/3.6 allow 255 arguments)
        a,
        # two lines per argument (CPython 2.7/3.6 allow 255 arguments)
        a,
        # two lines per argument (CPython 2.7/3.6 allow 255 arguments)
        a,
        # two lines per argument (CPython 2.7/3.6 allow 255 arguments)
        a,
        # two lines per argument (CPython 2.7/3.6 allow 255 arguments)
        a,
        # two lines per argument (CPython 2.7/3.6 allow 255 arguments)
        a,
        # two lines per argument (CPython 2.7/3.6 allow 255 arguments)
        a,
        # two lines per argument (CPython 2.7/3.6 allow 255 arguments)
        a,
        # two lines per argument (CPython 2.7/3.6 allow 255 arguments)
        a,
        # two lines per argument (CPython 2.7/3.6 allow 255 arguments)
        a,
        # two lines per argument (CPython 2.7/3.6 allow 255 arguments)
        a,
        # two lines per argument (CPython 2.7/3.6 allow 255 arguments)
        a,
        # two lines per argument (CPython 2.7/3.6 allow 255 arguments)
        a,
        # two lines per argument (CPython 2.7/3.6 allow 255 arguments)
        a,
        # two lines per argument (CPython 2.7/3.6 allow 255 arguments)
        a,
        # two lines per argument (CPython 2.7/3.6 allow 255 arguments)
        a,
        # two lines per argument (CPython 2.7/3.6 allow 255 arguments)
        a,
        # two lines per argument (CPython 2.7/3.6 allow 255 arguments)
        a,
        # two lines per argument (CPython 2.7/3.6 allow 255 arguments)
        a,
        # two lines per argument (CPython 2.7/3.6 allow 255 arguments)
        b)
    t = [
        a + 0,
        a + 1,
        a + 2,
        a + 3,
        a + 4,
        a + 5,
        a + 6,
        a + 7,
        a + 8,
        a + 9,
        a + 10,
        a + 11,
        a + 12,
        a + 13,
        a + 14,
        a + 15,
        a + 16,
        a + 17,
        a + 18,
        a + 19,
        a + 20,
        a + 21,
        a + 22,
        a + 23,
        a + 24,
        a + 25,
        a + 26,
        a + 27,
        a + 28,
        a + 29,
        a + 30,
        a + 31,
        a + 32,
        a + 33,
        a + 34,
        a + 35,
        a + 36,
        a + 37,
        a + 38,
        a + 39,
        a + 40,
        a + 41,
        a + 42,
        a + 43,
        a + 44,
        a + 45,
        a + 46,
        a + 47,
        a + 48,
        a + 49,
        a + 50,
        a + 51,
        a + 52,
        a + 53,
        a + 54,
        a + 55,
        a + 56,
        a + 57,
        a + 58,
        a + 59,
        a + 60,
        a + 61,
        a + 62,
        a + 63,
        a + 64,
        a + 65,
        a + 66,
        a + 67,
        a + 68,
        a + 69,
        a + 70,
        a + 71,
        a + 72,
        a + 73,
        a + 74,
        a + 75,
        a + 76,
        a + 77,
        a + 78,
        a + 79,
        a + 80,
        a + 81,
        a + 82,
        a + 83,
        a + 84,
        a + 85,
        a + 86,
        a + 87,
        a + 88,
        a + 89,
        a + 90,
        a + 91,
        a + 92,
        a + 93,
        a + 94,
        a + 95,
        a + 96,
        a + 97,
        a + 98,
        a + 99,
        a + 100,
        a + 101,
        a + 102,
        a + 103,
        a + 104,
        a + 105,
        a + 106,
        a + 107,
        a + 108,
        a + 109,
        a + 110,
        a + 111,
        a + 112,
        a + 113,
        a + 114,
        a + 115,
        a + 116,
        a + 117,
        a + 118,
        a + 119,
        a + 120,
        a + 121,
        a + 122,
        a + 123,
        a + 124,
        a + 125,
        a + 126,
        a + 127,
        a + 128,
        a + 129,
        a + 130,
        a + 131,
        a + 132,
        a + 133,
        a + 134,
        a + 135,
        a + 136,
        a + 137,
        a + 138,
        a + 139,
        a + 140,
        a + 141,
        a + 142,
        a + 143,
        a + 144,
        a + 145,
        a + 146,
        a + 147,
        a + 148,
        a + 149,
        a + 150,
        a + 151,
        a + 152,
        a + 153,
        a + 154,
        a + 155,
        a + 156,
        a + 157,
        a + 158,
        a + 159,
        a + 160,
        a + 161,
        a + 162,
        a + 163,
        a + 164,
        a + 165,
        a + 166,
        a + 167,
        a + 168,
        a + 169,
        a + 170,
        a + 171,
        a + 172,
        a + 173,
        a + 174,
        a + 175,
        a + 176,
        a + 177,
        a + 178,
        a + 179,
        a + 180,
        a + 181,
        a + 182,
        a + 183,
        a + 184,
        a + 185,
        a + 186,
        a + 187,
        a + 188,
        a + 189,
        a + 190,
        a + 191,
        a + 192,
        a + 193,
        a + 194,
        a + 195,
        a + 196,
        a + 197,
        a + 198,
        a + 199,
        a + 200,
        a + 201,
        a + 202,
        a + 203,
        a + 204,
        a + 205,
        a + 206,
        a + 207,
        a + 208,
        a + 209,
        a + 210,
        a + 211,
        a + 212,
        a + 213,
        a + 214,
        a + 215,
        a + 216,
        a + 217,
        a + 218,
        a + 219,
        a + 220,
        a + 221,
        a + 222,
        a + 223,
        a + 224,
        a + 225,
        a + 226,
        a + 227,
        a + 228,
        a + 229,
        a + 230,
        a + 231,
        a + 232,
        a + 233,
        a + 234,
        a + 235,
        a + 236,
        a + 237,
        a + 238,
        a + 239,
        a + 240,
        a + 241,
        a + 242,
        a + 243,
        a + 244,
        a + 245,
        a + 246,
        a + 247,
        a + 248,
        a + 249,
        a + 250,
        a + 251,
        a + 252,
        a + 253,
        a + 254,
        a + 255,
        a + 256,
        a + 257,
        a + 258,
        a + 259,
        a + 260,
        a + 261,
        a + 262,
        a + 263,
        a + 264,
        a + 265,
        a + 266,
        a + 267,
        a + 268,
        a + 269,
        a + 270,
        a + 271,
        a + 272,
        a + 273,
        a + 274,
        a + 275,
        a + 276,
        a + 277,
        a + 278,
        a + 279,
        a + 280,
        a + 281,
        a + 282,
        a + 283,
        a + 284,
        a + 285,
        a + 286,
        a + 287,
        a + 288,
        a + 289,
        a + 290,
        a + 291,
        a + 292,
        a + 293,
        a + 294,
        a + 295,
        a + 296,
        a + 297,
        a + 298,
        a + 299,
    ]
    return (r,
            s,
            t)


def loop_with_long_body(seq):
    total = 0
    for item in seq:
        total += item
        # loop body padding 0
        # loop body padding 1
        # loop body padding 2
        # loop body padding 3
        # loop body padding 4
        # loop body padding 5
        # loop body padding 6
        # loop body padding 7
        # loop body padding 8
        # loop body padding 9
        # loop body padding 10
        # loop body padding 11
        # loop body padding 12
        # loop body padding 13
        # loop body padding 14
        # loop body padding 15
        # loop body padding 16
        # loop body padding 17
        # loop body padding 18
        # loop body padding 19
        # loop body padding 20
        # loop body padding 21
        # loop body padding 22
        # loop body padding 23
        # loop body padding 24
        # loop body padding 25
        # loop body padding 26
        # loop body padding 27
        # loop body padding 28
        # loop body padding 29
        # loop body padding 30
        # loop body padding 31
        # loop body padding 32
        # loop body padding 33
        # loop body padding 34
        # loop body padding 35
        # loop body padding 36
        # loop body padding 37
        # loop body padding 38
        # loop body padding 39
        # loop body padding 40
        # loop body padding 41
        # loop body padding 42
        # loop body padding 43
        # loop body padding 44
        # loop body padding 45
        # loop body padding 46
        # loop body padding 47
        # loop body padding 48
        # loop body padding 49
        # loop body padding 50
        # loop body padding 51
        # loop body padding 52
        # loop body padding 53
        # loop body padding 54
        # loop body padding 55
        # loop body padding 56
        # loop body padding 57
        # loop body padding 58
        # loop body padding 59
        # loop body padding 60
        # loop body padding 61
        # loop body padding 62
        # loop body padding 63
        # loop body padding 64
        # loop body padding 65
        # loop body padding 66
        # loop body padding 67
        # loop body padding 68
        # loop body padding 69
        # loop body padding 70
        # loop body padding 71
        # loop body padding 72
        # loop body padding 73
        # loop body padding 74
        # loop body padding 75
        # loop body padding 76
        # loop body padding 77
        # loop body padding 78
        # loop body padding 79
        # loop body padding 80
        # loop body padding 81
        # loop body padding 82
        # loop body padding 83
        # loop body padding 84
        # loop body padding 85
        # loop body padding 86
        # loop body padding 87
        # loop body padding 88
        # loop body padding 89
        # loop body padding 90
        # loop body padding 91
        # loop body padding 92
        # loop body padding 93
        # loop body padding 94
        # loop body padding 95
        # loop body padding 96
        # loop body padding 97
        # loop body padding 98
        # loop body padding 99
        # loop body padding 100
        # loop body padding 101
        # loop body padding 102
        # loop body padding 103
        # loop body padding 104
        # loop body padding 105
        # loop body padding 106
        # loop body padding 107
        # loop body padding 108
        # loop body padding 109
        # loop body padding 110
        # loop body padding 111
        # loop body padding 112
        # loop body padding 113
        # loop body padding 114
        # loop body padding 115
        # loop body padding 116
        # loop body padding 117
        # loop body padding 118
        # loop body padding 119
        # loop body padding 120
        # loop body padding 121
        # loop body padding 122
        # loop body padding 123
        # loop body padding 124
        # loop body padding 125
        # loop body padding 126
        # loop body padding 127
        # loop body padding 128
        # loop body padding 129
        # loop body padding 130
        # loop body padding 131
        # loop body padding 132
        # loop body padding 133
        # loop body padding 134
        # loop body padding 135
        # loop body padding 136
        # loop body padding 137
        # loop body padding 138
        # loop body padding 139
        # loop body padding 140
        # loop body padding 141
        # loop body padding 142
        # loop body padding 143
        # loop body padding 144
        # loop body padding 145
        # loop body padding 146
        # loop body padding 147
        # loop body padding 148
        # loop body padding 149
        # loop body padding 150
        # loop body padding 151
        # loop body padding 152
        # loop body padding 153
        # loop body padding 154
        # loop body padding 155
        # loop body padding 156
        # loop body padding 157
        # loop body padding 158
        # loop body padding 159
        # loop body padding 160
        # loop body padding 161
        # loop body padding 162
        # loop body padding 163
        # loop body padding 164
        # loop body padding 165
        # loop body padding 166
        # loop body padding 167
        # loop body padding 168
        # loop body padding 169
        # loop body padding 170
        # loop body padding 171
        # loop body padding 172
        # loop body padding 173
        # loop body padding 174
        # loop body padding 175
        # loop body padding 176
        # loop body padding 177
        # loop body padding 178
        # loop body padding 179
        # loop body padding 180
        # loop body padding 181
        # loop body padding 182
        # loop body padding 183
        # loop body padding 184
        # loop body padding 185
        # loop body padding 186
        # loop body padding 187
        # loop body padding 188
        # loop body padding 189
        # loop body padding 190
        # loop body padding 191
        # loop body padding 192
        # loop body padding 193
        # loop body padding 194
        # loop body padding 195
        # loop body padding 196
        # loop body padding 197
        # loop body padding 198
        # loop body padding 199
        # loop body padding 200
        # loop body padding 201
        # loop body padding 202
        # loop body padding 203
        # loop body padding 204
        # loop body padding 205
        # loop body padding 206
        # loop body padding 207
        # loop body padding 208
        # loop body padding 209
        # loop body padding 210
        # loop body padding 211
        # loop body padding 212
        # loop body padding 213
        # loop body padding 214
        # loop body padding 215
        # loop body padding 216
        # loop body padding 217
        # loop body padding 218
        # loop body padding 219
        # loop body padding 220
        # loop body padding 221
        # loop body padding 222
        # loop body padding 223
        # loop body padding 224
        # loop body padding 225
        # loop body padding 226
        # loop body padding 227
        # loop body padding 228
        # loop body padding 229
        # loop body padding 230
        # loop body padding 231
        # loop body padding 232
        # loop body padding 233
        # loop body padding 234
        # loop body padding 235
        # loop body padding 236
        # loop body padding 237
        # loop body padding 238
        # loop body padding 239
        # loop body padding 240
        # loop body padding 241
        # loop body padding 242
        # loop body padding 243
        # loop body padding 244
        # loop body padding 245
        # loop body padding 246
        # loop body padding 247
        # loop body padding 248
        # loop body padding 249
        # loop body padding 250
        # loop body padding 251
        # loop body padding 252
        # loop body padding 253
        # loop body padding 254
        # loop body padding 255
        # loop body padding 256
        # loop body padding 257
        # loop body padding 258
        # loop body padding 259
        # loop body padding 260
        # loop body padding 261
        # loop body padding 262
        # loop body padding 263
        # loop body padding 264
        # loop body padding 265
        # loop body padding 266
        # loop body padding 267
        # loop body padding 268
        # loop body padding 269
        # loop body padding 270
        # loop body padding 271
        # loop body padding 272
        # loop body padding 273
        # loop body padding 274
        # loop body padding 275
        # loop body padding 276
        # loop body padding 277
        # loop body padding 278
        # loop body padding 279
        total *= 2
    while total > 10:
        total //= 3
    return total


def try_finally(path):
    fh = None
    try:
        fh = open(path)
        data = fh.read()
    except (IOError, OSError) as exc:
        data = str(exc)
    finally:
        if fh is not None:
            fh.close()
    try:
        return len(data)
    finally:
        data = None


def nested(a):
    def inner(b):
        def innermost(c):
            return a + b + c
        return innermost(b)
    return inner(a)


def lambdas_and_comprehensions(seq):
    key = lambda x: (x % 3,
                     -x)
    squares = [x * x for x in seq if x % 2]
    table = {x: [y for y in range(x)
                 if y > 1]
             for x in seq}
    uniq = {x % 5 for x in seq}
    gen = (x + 1 for x in seq)
    return sorted(seq, key=key), squares, table, uniq, sum(gen)


def generator(n):
    i = 0
    while i < n:
        try:
            yield i
        finally:
            i += 1
    yield (lambda: n)()


def with_and_raise(lock, x):
    with lock:
        if x:
            raise ValueError(
                "bad x: %r" % (x,))
    return x


class Klass(object):
    attr = [i for i in range(3)]

    def method(self, a,
               b=2):
        return (a if a
                else b)

    @staticmethod
    def static(a):
        return a


VALUE = (1 +
         2)
for _i in range(2):
    VALUE += _i
del _i
