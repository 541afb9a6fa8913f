"""The ten steps of SOP 5.1 as first loaded into the playbook (an admin edits them after).

Each checklist item quotes the procedure (客户接待和交际作业指导书 5.1). Offsets are in
minutes from the anchor; negative is before it.
"""

DAY = 24 * 60

# (code, name, name_en, anchor, offset, condition, guidance, guidance_en, items)
# items: (text, text_en, condition)
STEPS: list[tuple] = [
    (
        "briefing",
        "接待前沟通",
        "Pre-visit briefing",
        "arrival",
        -2 * DAY,
        "always",
        "了解客户到访具体日期、时间、随行人数、性别等，并问询是否需要公司车辆接送，以及到访具体事项。",
        "Agree the date and time, the party (names, gender, how to recognise them), "
        "whether a company car should pick them up, and the purpose of the visit.",
        [
            ("确认到访日期和具体时间", "Confirm the date and time of arrival", "always"),
            (
                "确认随行人数、姓名、性别和特征",
                "Confirm the party: names, gender, how to recognise them",
                "always",
            ),
            ("问询是否需要公司车辆接送", "Ask whether a company car should pick them up", "always"),
            ("了解到访具体事项", "Learn what the visit is for", "always"),
            ("登记往返航班或车次", "Record the inbound and outbound flights or trains", "always"),
        ],
    ),
    (
        "pickup_arrangement",
        "接车安排",
        "Pickup arrangement",
        "arrival",
        -DAY,
        "pickup",
        "根据客人到访时间提前安排公司车辆；确实无法安排时，通知客户并告之坐车方式。"
        "接车人原则上为跟进客户的销售人员本人。",
        "Book a company car for the arrival. If none is free, tell the customer how to come. "
        "The escort is the host unless there is a reason.",
        [
            ("提前安排公司车辆接车", "Book a company car for the arrival", "always"),
            (
                "无法安排车辆时通知客户坐车方式（如机场高速专线、打的等）",
                "If no car is free, tell the customer how to come (airport express, taxi…)",
                "always",
            ),
            (
                "接车人非本人时，向客户说明并告知接车人、电话号码、车牌号",
                "If someone else escorts, tell the customer their name, phone and plate number",
                "always",
            ),
            ("接车过程中电话跟进", "Phone during the pickup", "always"),
        ],
    ),
    (
        "pickup",
        "接车",
        "Pickup",
        "arrival",
        -60,
        "pickup",
        "接车前确认客户到达的机场（车站）、班次、具体时间，到访人员姓名、特征，并提前到达接车地等候。",
        "Before leaving, check the airport or station, the flight or train, the time, the "
        "visitors' names and how to recognise them; be there early.",
        [
            (
                "确认到达的机场（车站）、班次和具体时间",
                "Check the airport or station, the flight or train and the time",
                "always",
            ),
            (
                "确认来访人员姓名和特征",
                "Check the visitors' names and how to recognise them",
                "always",
            ),
            ("提前到达接车地等候", "Arrive early and wait", "always"),
            ("帮忙提行李下车", "Help with the luggage", "always"),
        ],
    ),
    (
        "meals_lodging",
        "食宿安排",
        "Meals and lodging",
        "arrival",
        60,
        "always",
        "客户到达公司时第一时间沟通行程安排，并按《交际接待费用及佣金管理作业指导书》规定的食宿标准做好食宿准备。",
        "Agree the itinerary on arrival; plan meals and the hotel by the hospitality-spend standard.",
        [
            ("第一时间与客户沟通行程安排", "Agree the itinerary as soon as they arrive", "always"),
            ("按食宿标准安排餐饮", "Plan meals by the spending standard", "always"),
            ("陪客人用餐时不宜喝酒过度", "No heavy drinking at meals", "always"),
            ("结账时避开客户", "Settle the bill out of the customer's sight", "always"),
            ("帮客人提行李到房间", "Carry the luggage to the room", "lodging"),
            ("讲解房间内设施和使用方法", "Explain the room and how things work", "lodging"),
            ("留下自己的电话号码", "Leave your phone number", "lodging"),
        ],
    ),
    (
        "company_tour",
        "公司参观",
        "Company tour",
        "arrival",
        4 * 60,
        "always",
        "邀请客户到公司展厅参观或到会客室洽谈，一般不带客户到办公室参观。",
        "Show the showroom or use a reception room; offices are not toured.",
        [
            (
                "预约展厅或会客室（不带客户参观办公室）",
                "Book the showroom or a reception room (not offices)",
                "always",
            ),
            ("介绍展示样品", "Show the samples", "always"),
            ("讲解新产品", "Present the new products", "always"),
            ("介绍企业文化和发展前景", "Present the company's culture and prospects", "always"),
        ],
    ),
    (
        "leader_meeting",
        "领导接见",
        "Leader meeting",
        "arrival",
        -DAY,
        "always",
        "根据客户的级别、来访的重要性确认是否需要总监、总经理等领导接见，并提前与领导沟通具体的接待地点、时间。",
        "By the customer's level and the visit's importance, decide whether a director or the "
        "general manager meets them; agree the place and time with the leader in advance.",
        [
            (
                "确认是否需要总监、总经理接见",
                "Decide whether a director or the general manager meets them",
                "always",
            ),
            ("提前与领导沟通接待地点和时间", "Agree the place and time with the leader", "always"),
            (
                "带来访人与领导见面，进行双方介绍",
                "Bring the visitors to the leader and introduce both sides",
                "always",
            ),
            ("简要说明来访事项", "Brief the leader on the purpose of the visit", "always"),
        ],
    ),
    (
        "visit_requests",
        "到访事项处理",
        "Visit requests",
        "departure",
        0,
        "always",
        "陪同客户过程中及时处理客户需求事项，并做好相关记录，以作后续跟进。",
        "Handle what the customer asks for during the visit and record it for follow-up.",
        [
            ("及时处理客户需求事项", "Handle the customer's requests promptly", "always"),
            ("记录未完成事项以便后续跟进", "Record open requests for follow-up", "always"),
        ],
    ),
    (
        "see_off",
        "送车",
        "See-off",
        "departure",
        -60,
        "always",
        "客户离开时提醒来访人清点物品；公司赠送的纪念品需在来访人离开前亲自交到客人手中；送车时需等客户离开视线范围后方可离开。",
        "Remind the visitors to check their belongings; hand gifts over personally; "
        "wait until they are out of sight.",
        [
            ("提醒来访人清点物品", "Remind the visitors to check their belongings", "always"),
            (
                "纪念品在离开前亲自交到客人手中",
                "Hand the gifts over personally before they leave",
                "always",
            ),
            ("安排公司车辆送车", "Book the company car for the drop-off", "dropoff"),
            ("等客户离开视线范围后方可离开", "Wait until they are out of sight", "always"),
        ],
    ),
    (
        "return_call",
        "电话回访",
        "Return call",
        "home",
        2 * 60,
        "always",
        "根据客户航班或车次时间，在客户到达后进行电话关心，并跟进客户对公司产品、形象的了解，及时做好报告。",
        "Once the visitor should be home, call: ask how they are and what they think of the "
        "products and the company; report it.",
        [
            ("客户到达后电话关心", "Call once they are home", "always"),
            ("了解客户对公司产品的意见", "Ask about the products", "always"),
            ("了解客户对公司形象的印象", "Ask about the company's image", "always"),
            ("记录回访结果并报告", "Record the outcome and report it", "always"),
        ],
    ),
    (
        "follow_up",
        "后期跟进",
        "Follow-up",
        "departure",
        7 * DAY,
        "always",
        "定期做好后期客户跟进和服务工作，维护客情关系。",
        "Follow up regularly and keep the relationship.",
        [
            ("安排下一次跟进", "Plan the next follow-up", "always"),
            ("维护客情关系", "Keep the relationship", "always"),
        ],
    ),
]

# Days between follow-ups per customer level code (后期跟进 cadence).
FOLLOW_UP_DAYS = {"VIP": 7, "A": 14, "B": 30, "C": 90}
