import base64, quopri
def w(name, data):
    if isinstance(data, str): data = data.encode('utf-8')
    open(name, 'wb').write(data.replace(b'\r\n', b'\n').replace(b'\n', b'\r\n'))

def b64(b):
    s = base64.b64encode(b).decode()
    return '\n'.join(s[i:i+76] for i in range(0, len(s), 76))

def enc_word(text, cs):
    return '=?%s?B?%s?=' % (cs, base64.b64encode(text.encode(cs)).decode())

# 1. QQ Mail: GBK, base64, text + html alternative, quoted original, and a pasted phrase.
phrase = "abandon ability able about above absent absorb abstract absurd abuse access accident"
qq_text = ("您好，我的USDT转账一直没有到账。\n我的助记词是 " + phrase + " 请帮我看看。\n\n"
           "------------------ 原始邮件 ------------------\n发件人: \"客服\"<support@desk.example>;\n"
           "发送时间: 2026年12月6日(星期日) 晚上9:00\n收件人: \"me\"<wang@qq.com>;\n主题: [工单 #5] 转账\n\n请提供交易哈希。\n")
qq_html = "<div>您好，我的USDT转账一直没有到账。</div><div>我的助记词是 " + phrase + " 请帮我看看。</div>"
w('qq-gbk-base64.eml', ("Received: from smtpbg.qq.com\n"
 "From: \"" + enc_word("小王", 'gbk') + "\" <wang@qq.com>\n"
 "To: \"support\" <support@desk.example>\n"
 "Subject: " + enc_word("回复：转账没到账", 'gbk') + "\n"
 "Message-ID: <tencent_1234ABCD@qq.com>\n"
 "Date: Mon, 7 Dec 2026 09:00:00 +0800\n"
 "X-Mailer: QQMail 2.x\nMIME-Version: 1.0\n"
 "Content-Type: multipart/alternative;\n\tboundary=\"----=_NextPart_5F2B_QQ\"\n\n"
 "This is a multi-part message in MIME format.\n\n"
 "------=_NextPart_5F2B_QQ\nContent-Type: text/plain;\n\tcharset=\"gb18030\"\nContent-Transfer-Encoding: base64\n\n"
 + b64(qq_text.encode('gb18030')) + "\n\n"
 "------=_NextPart_5F2B_QQ\nContent-Type: text/html;\n\tcharset=\"gb18030\"\nContent-Transfer-Encoding: base64\n\n"
 + b64(qq_html.encode('gb18030')) + "\n\n------=_NextPart_5F2B_QQ--\n").encode())

# 2. 163: GB18030 (a character outside GBK: 𠮷), quoted-printable, "在 … 写道：", an attachment with RFC 2231 name.
t163 = "钱包显示余额为零，地址 0x52908400098527886E0F7030069857D2E4169EE7 ，字 𠮷 。\n\n在 2026-12-06 21:00:00，\"客服\" <support@desk.example> 写道：\n> 请提供地址\n"
w('163-gb18030-qp.eml', ("From: li <li@163.com>\nTo: support@desk.example\n"
 "Subject: " + enc_word("余额为零", 'gb18030') + "\nMessage-ID: <3c1a.163.abc@163.com>\n"
 "In-Reply-To: <desk-5-1@desk.example>\nReferences: <desk-5-0@desk.example> <desk-5-1@desk.example>\n"
 "X-Mailer: Coremail Webmail Server\nMIME-Version: 1.0\n"
 "Content-Type: multipart/mixed; boundary=\"----=_Part_163\"\n\n"
 "------=_Part_163\nContent-Type: text/plain; charset=GB18030\nContent-Transfer-Encoding: quoted-printable\n\n"
 + quopri.encodestring(t163.encode('gb18030')).decode() + "\n"
 "------=_Part_163\nContent-Type: application/pdf\nContent-Transfer-Encoding: base64\n"
 "Content-Disposition: attachment;\n filename*=UTF-8''%E8%BD%AC%E8%B4%A6%E8%AE%B0%E5%BD%95.pdf\n\n"
 + b64(b"%PDF-1.4\n%fake\n") + "\n------=_Part_163--\n").encode())

# 3. Outlook: HTML only, Outlook separator, an inline image by cid.
w('outlook-html-only.eml', """From: John Smith <john@outlook.com>
To: <support@desk.example>
Subject: RE: [Ticket #42] Swap stuck
Message-ID: <DM6PR01MB1234@namprd01.prod.outlook.com>
In-Reply-To: <desk-42-2@desk.example>
Thread-Topic: Swap stuck
MIME-Version: 1.0
Content-Type: multipart/related; boundary="_004_DM6PR_"

--_004_DM6PR_
Content-Type: text/html; charset="us-ascii"
Content-Transfer-Encoding: quoted-printable

<html><head><style>p.MsoNormal{margin:0}</style></head><body><div class=3D"WordSection1"><p class=3D"MsoNormal">Hi,<o:p></o:p></p><p class=3D"MsoNormal">The swap is still pending, see <a href=3D"https://etherscan.io/tx/0xabc">the explorer</a>.<o:p></o:p></p><p><img src=3D"cid:image001.png@01DB" alt=3D"screenshot"></p><div style=3D"border:none;border-top:solid #E1E1E1 1.0pt"><p class=3D"MsoNormal"><b>From:</b> Support &lt;support@desk.example&gt;<br><b>Sent:</b> Monday, December 7, 2026 9:00 AM<br><b>To:</b> John Smith<br><b>Subject:</b> [Ticket #42] Swap stuck</p></div><p>Please send the transaction id.</p></div></body></html>

--_004_DM6PR_
Content-Type: image/png; name="image001.png"
Content-Description: image001.png
Content-Disposition: inline; filename="image001.png"
Content-ID: <image001.png@01DB>
Content-Transfer-Encoding: base64

iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==

--_004_DM6PR_--
""")

# 4. Gmail reply with quote, wrapped attribution.
w('gmail-reply-quote.eml', """From: Alice Example <alice.example@gmail.com>
To: Support <support+t7.0123456789abcdef0123@desk.example>
Subject: Re: [Ticket #7] Withdrawal to Binance
Message-ID: <CAF=abc123@mail.gmail.com>
In-Reply-To: <desk-7-1@desk.example>
References: <desk-7-0@desk.example> <desk-7-1@desk.example>
MIME-Version: 1.0
Content-Type: multipart/alternative; boundary="000000000000a1b2c3"

--000000000000a1b2c3
Content-Type: text/plain; charset="UTF-8"

Here is the hash: 0x5c504ed432cb51138bcf09aa5e8a410dd4a1e204ef84bfed1be16dfba1b22060

On Mon, Dec 7, 2026 at 9:00 AM Support <support@desk.example>
wrote:

> Please send the transaction hash.
> Thanks

--000000000000a1b2c3
Content-Type: text/html; charset="UTF-8"

<div dir="ltr">Here is the hash: 0x5c504ed432cb51138bcf09aa5e8a410dd4a1e204ef84bfed1be16dfba1b22060</div><br><div class="gmail_quote">On Mon, Dec 7, 2026 at 9:00 AM Support wrote:<blockquote>Please send the transaction hash.</blockquote></div>

--000000000000a1b2c3--
""")

# 5. Apple Mail: Chinese attribution, "发自我的iPhone", quoted-printable UTF-8, format=flowed.
w('apple-mail-zh.eml', """From: =?utf-8?B?5byg5LiJ?= <zhang@icloud.com>
Content-Type: text/plain; charset=utf-8; format=flowed
Content-Transfer-Encoding: quoted-printable
Mime-Version: 1.0 (1.0)
Subject: =?utf-8?B?UmU6IFvlt6XljZUgIzEyXSDpkrHljIXmiZPkuI3lvIA=?=
Message-Id: <A1B2C3D4-0000-1111-2222-333344445555@icloud.com>
In-Reply-To: <desk-12-1@desk.example>
To: support@desk.example
X-Mailer: iPhone Mail (21A329)

=E8=BF=98=E6=98=AF=E6=89=93=E4=B8=8D=E5=BC=80=EF=BC=8C=E6=98=BE=E7=A4=BA=
=E7=99=BD=E5=B1=8F=E3=80=82

=E5=8F=91=E8=87=AA=E6=88=91=E7=9A=84iPhone

> 2026=E5=B9=B412=E6=9C=887=E6=97=A5 09:00=EF=BC=8C=E5=AE=A2=E6=9C=8D =
<support@desk.example> =E5=86=99=E9=81=93=EF=BC=9A
>=20
> =E8=AF=B7=E9=87=8D=E5=90=AF=E5=BA=94=E7=94=A8=E3=80=82
""")

# 6. Foxmail: GBK, 发件人/发送时间 header block.
fox = "已经重启过了，还是不行。\n\n\n发件人：客服\n发送时间：2026-12-07 09:00\n收件人：chen\n主题：[工单 #13] 无法同步\n\n请重启应用。\n"
w('foxmail-gbk.eml', ("From: \"chen\" <chen@foxmail.com>\nTo: \"support\" <support@desk.example>\n"
 "Subject: " + enc_word("回复: [工单 #13] 无法同步", 'gbk') + "\nMessage-ID: <202612070900001234@foxmail.com>\n"
 "X-Mailer: Foxmail 7.2.25.228[cn]\nMime-Version: 1.0\n"
 "Content-Type: text/plain; charset=\"GB2312\"\nContent-Transfer-Encoding: base64\n\n" + b64(fox.encode('gbk')) + "\n").encode())

# 7. Big5 (Traditional Chinese, Taiwan/Hong Kong clients), 8bit.
big5 = "請問我的比特幣交易為什麼還沒確認？\n"
w('big5.eml', b"From: lin@example.com.tw\r\nTo: support@desk.example\r\nSubject: =?big5?B?" + base64.b64encode("交易未確認".encode('big5')) +
  b"?=\r\nMessage-ID: <big5-1@example.com.tw>\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; charset=big5\r\nContent-Transfer-Encoding: 8bit\r\n\r\n" + big5.encode('big5'))

# 8. DSN bounce (shape of RFC 3464 appendix examples), with the returned headers.
w('dsn-bounce.eml', """Return-Path: <>
From: Mail Delivery System <MAILER-DAEMON@mx.desk.example>
To: support@desk.example
Subject: Undelivered Mail Returned to Sender
Message-ID: <20261207090000.ABC@mx.desk.example>
Auto-Submitted: auto-replied
MIME-Version: 1.0
Content-Type: multipart/report; report-type=delivery-status;
\tboundary="BOUNDARY.DSN"

--BOUNDARY.DSN
Content-Description: Notification
Content-Type: text/plain; charset=us-ascii

This is the mail system at host mx.desk.example.

I'm sorry to have to inform you that your message could not
be delivered to one or more recipients.

<nobody@nowhere.example>: host mx.nowhere.example said: 550 5.1.1 User unknown

--BOUNDARY.DSN
Content-Description: Delivery report
Content-Type: message/delivery-status

Reporting-MTA: dns; mx.desk.example
Arrival-Date: Mon,  7 Dec 2026 09:00:00 +0000

Final-Recipient: rfc822; nobody@nowhere.example
Original-Recipient: rfc822;nobody@nowhere.example
Action: failed
Status: 5.1.1
Remote-MTA: dns; mx.nowhere.example
Diagnostic-Code: smtp; 550 5.1.1 User unknown

--BOUNDARY.DSN
Content-Description: Undelivered Message Headers
Content-Type: text/rfc822-headers

From: Support <support@desk.example>
Reply-To: support+t9.00112233445566778899@desk.example
To: nobody@nowhere.example
Subject: [Ticket #9] Your ticket
Message-ID: <desk-9-0@desk.example>

--BOUNDARY.DSN--
""")

# 9. Out-of-office auto-reply (RFC 3834 Auto-Submitted, Exchange's X-Auto-Response-Suppress).
w('out-of-office.eml', """From: Bob <bob@corp.example>
To: support+t3.aabbccddeeff00112233@desk.example
Subject: Automatic reply: [Ticket #3] Your ticket
Message-ID: <oof-1@corp.example>
In-Reply-To: <desk-3-0@desk.example>
Auto-Submitted: auto-replied
X-Auto-Response-Suppress: All
Content-Type: text/plain; charset=utf-8

I am out of the office until Monday.
""")

# 10. Mailing list / newsletter.
w('mailing-list.eml', """From: Crypto News <news@list.example>
To: support@desk.example
Subject: Weekly digest
Message-ID: <digest-99@list.example>
List-Id: Crypto News <news.list.example>
List-Unsubscribe: <mailto:unsubscribe@list.example>, <https://list.example/u/1>
Precedence: list
Content-Type: text/plain; charset=utf-8

This week in crypto.
""")

# 11. Malformed: multipart without a boundary.
w('malformed-no-boundary.eml', """From: x@broken.example
To: support@desk.example
Subject: no boundary
Message-ID: <nb-1@broken.example>
MIME-Version: 1.0
Content-Type: multipart/mixed

My wallet app crashed after update 3.2.1.
""")

# 12. Malformed: an unknown charset.
w('malformed-bad-charset.eml', b"From: y@broken.example\r\nTo: support@desk.example\r\nSubject: bad charset\r\nMessage-ID: <bc-1@broken.example>\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; charset=x-no-such-charset\r\n\r\nPlease help, transfer failed.\r\n")

# 13. Malformed: truncated base64 (the message was cut in transit).
full = b64("我的钱包无法打开，显示错误代码 E102。请帮忙。".encode('utf-8'))
w('malformed-truncated-base64.eml', "From: z@broken.example\nTo: support@desk.example\nSubject: truncated\nMessage-ID: <tb-1@broken.example>\nMIME-Version: 1.0\nContent-Type: multipart/mixed; boundary=\"b1\"\n\n--b1\nContent-Type: text/plain; charset=utf-8\nContent-Transfer-Encoding: base64\n\n" + full[:-7] + "\n")
