"""Names for the demo district, each in Latin script and in Devanagari, spelt alike.

Communities follow Sehore district: Hindu families of many castes, Muslim families
(more of them in and around Ashta), and Bhil/Barela, Gond and Korku families.
Lists are written "Latin=देवनागरी, …" to keep them short.
"""

Name = tuple[str, str]  # (Latin, Devanagari)


def _names(text: str) -> list[Name]:
    pairs = [item.split("=") for item in text.replace("\n", " ").split(",") if item.strip()]
    return [(latin.strip(), local.strip()) for latin, local in pairs]


# --- Surnames -------------------------------------------------------------------------

HINDU_SURNAMES = _names("""
    Sharma=शर्मा, Verma=वर्मा, Patel=पटेल, Rajput=राजपूत, Yadav=यादव, Kushwaha=कुशवाहा,
    Meena=मीणा, Malviya=मालवीय, Parmar=परमार, Thakur=ठाकुर, Lodhi=लोधी, Ahirwar=अहिरवार,
    Jatav=जाटव, Sen=सेन, Vishwakarma=विश्वकर्मा, Prajapati=प्रजापति, Dangi=दांगी,
    Mewada=मेवाड़ा, Khati=खाती, Patidar=पाटीदार, Chouhan=चौहान, Solanki=सोलंकी,
    Rathore=राठौर, Tiwari=तिवारी, Mishra=मिश्रा, Jain=जैन, Joshi=जोशी, Gour=गौर,
    Soni=सोनी, Sahu=साहू, Rai=राय, Kori=कोरी, Balai=बलाई, Chaurasia=चौरसिया, Nagar=नागर,
    Pal=पाल, Gurjar=गुर्जर, Kewat=केवट, Dhakad=धाकड़, Bairagi=बैरागी
""")

MUSLIM_SURNAMES = _names("""
    Khan=ख़ान, Qureshi=क़ुरैशी, Ansari=अंसारी, Shaikh=शेख़, Mansoori=मंसूरी, Pathan=पठान,
    Mirza=मिर्ज़ा, Siddiqui=सिद्दीक़ी, Rangrez=रंगरेज़, Sheikh=शेख़
""")

# Bhil and Barela, then Gond, then Korku.
TRIBAL_SURNAMES = _names("""
    Bhuria=भूरिया, Damor=डामोर, Baria=बारिया, Ninama=निनामा, Mavi=मावी, Barela=बारेला,
    Bhil=भील, Uikey=उइके, Markam=मरकाम, Dhurve=धुर्वे, Tekam=टेकाम, Netam=नेताम,
    Parteti=परतेती, Kumre=कुमरे, Sarate=सराटे, Kawreti=कवरेती, Dhikar=धिकार, Kasde=कासडे,
    Jambu=जांबू, Bethe=बेठे, Mavaskar=मावस्कर, Sakom=साकोम
""")

# --- Children's first names -----------------------------------------------------------

HINDU_BOYS = _names("""
    Aarav=आरव, Vivaan=विवान, Aditya=आदित्य, Arjun=अर्जुन, Krishna=कृष्णा, Ansh=अंश,
    Ayush=आयुष, Rohit=रोहित, Rahul=राहुल, Vikas=विकास, Sachin=सचिन, Deepak=दीपक,
    Abhishek=अभिषेक, Yash=यश, Harsh=हर्ष, Shivam=शिवम, Sumit=सुमित, Ankit=अंकित,
    Nitin=नितिन, Pawan=पवन, Manish=मनीष, Govind=गोविंद, Lakhan=लखन, Raju=राजू,
    Mohit=मोहित, Kartik=कार्तिक, Om=ओम, Dev=देव, Anuj=अनुज, Vishal=विशाल, Gopal=गोपाल,
    Pradeep=प्रदीप, Tarun=तरुण, Kunal=कुणाल, Hemant=हेमंत, Satyam=सत्यम, Shubham=शुभम,
    Aryan=आर्यन, Laxman=लक्ष्मण, Bharat=भरत, Naveen=नवीन, Chetan=चेतन, Kamal=कमल,
    Ritik=रितिक, Sagar=सागर, Golu=गोलू, Lucky=लकी, Prince=प्रिंस, Devraj=देवराज,
    Jitendra=जितेंद्र, Nikhil=निखिल, Ashish=आशीष
""")

HINDU_GIRLS = _names("""
    Ananya=अनन्या, Diya=दिया, Pooja=पूजा, Priya=प्रिया, Neha=नेहा, Kajal=काजल,
    Anjali=अंजलि, Sakshi=साक्षी, Khushi=खुशी, Radha=राधा, Laxmi=लक्ष्मी, Sapna=सपना,
    Sonam=सोनम, Nisha=निशा, Payal=पायल, Jyoti=ज्योति, Rani=रानी, Kavita=कविता,
    Shivani=शिवानी, Riya=रिया, Tanu=तनु, Palak=पलक, Aarti=आरती, Bhavna=भावना,
    Deepika=दीपिका, Komal=कोमल, Mansi=मानसी, Nandini=नंदिनी, Pinki=पिंकी, Varsha=वर्षा,
    Gayatri=गायत्री, Durga=दुर्गा, Parvati=पार्वती, Madhu=मधु, Manisha=मनीषा,
    Sneha=स्नेहा, Vaishnavi=वैष्णवी, Shruti=श्रुति, Ishika=ईशिका, Aaradhya=आराध्या,
    Muskan=मुस्कान, Chanchal=चंचल, Rinki=रिंकी, Sonali=सोनाली, Tulsi=तुलसी, Bharti=भारती,
    Kiran=किरण, Lalita=ललिता, Mamta=ममता, Rashmi=रश्मि
""")

MUSLIM_BOYS = _names("""
    Aamir=आमिर, Arman=अरमान, Faizan=फ़ैज़ान, Sahil=साहिल, Salman=सलमान, Sameer=समीर,
    Shahid=शाहिद, Zaid=ज़ैद, Ayaan=अयान, Rehan=रेहान, Arif=आरिफ़, Irfan=इरफ़ान,
    Junaid=जुनैद, Tabrez=तबरेज़, Wasim=वसीम, Adil=आदिल, Danish=दानिश, Farhan=फ़रहान,
    Hamza=हमज़ा, Kaif=कैफ़, Rizwan=रिज़वान, Sohail=सोहेल, Yusuf=यूसुफ़, Aftab=आफ़ताब,
    Saqib=साक़िब, Ahmad=अहमद
""")

MUSLIM_GIRLS = _names("""
    Zoya=ज़ोया, Ayesha=आयशा, Fatima=फ़ातिमा, Sana=सना, Alina=अलीना, Afreen=आफ़रीन,
    Mehak=महक, Nazia=नाज़िया, Rubina=रुबीना, Shabnam=शबनम, Tabassum=तबस्सुम, Uzma=उज़्मा,
    Yasmin=यास्मीन, Zainab=ज़ैनब, Heena=हिना, Mariyam=मरियम, Sadiya=सादिया,
    Farheen=फ़रहीन, Muskan=मुस्कान, Anam=अनम, Iqra=इक़रा, Nargis=नरगिस, Alfiya=अल्फ़िया,
    Insha=इंशा
""")

TRIBAL_BOYS = _names("""
    Kalu=कालू, Bhura=भूरा, Somla=सोमला, Dhanna=धन्ना, Ramesh=रमेश, Mangal=मंगल,
    Bhima=भीमा, Kailash=कैलाश, Mukesh=मुकेश, Shankar=शंकर, Sukhram=सुखराम,
    Budhram=बुधराम, Suraj=सूरज, Ajay=अजय, Vinod=विनोद, Sohan=सोहन, Mohan=मोहन,
    Dilip=दिलीप, Rakesh=राकेश, Gulab=गुलाब, Nandu=नंदू, Bhagat=भगत, Kanha=कान्हा,
    Sanju=संजू
""")

TRIBAL_GIRLS = _names("""
    Kamli=कमली, Ramli=रमली, Sukhi=सुखी, Sumitra=सुमित्रा, Rukmani=रुक्मणी, Basanti=बसंती,
    Lali=लाली, Sunita=सुनीता, Phoolwati=फूलवती, Geeta=गीता, Shanti=शांति, Meena=मीना,
    Sarita=सरिता, Dhaniya=धनिया, Mamta=ममता, Rinku=रिंकू, Sangita=संगीता, Sona=सोना,
    Kamla=कमला, Jamna=जमना
""")

# --- Adults: parents and staff --------------------------------------------------------

HINDU_MEN = _names("""
    Ramesh=रमेश, Suresh=सुरेश, Mahesh=महेश, Rajendra=राजेंद्र, Mukesh=मुकेश,
    Dinesh=दिनेश, Santosh=संतोष, Ramprasad=रामप्रसाद, Kailash=कैलाश, Jagdish=जगदीश,
    Omprakash=ओमप्रकाश, Shyamlal=श्यामलाल, Gopal=गोपाल, Devendra=देवेंद्र, Rakesh=राकेश,
    Manoj=मनोज, Anil=अनिल, Sunil=सुनील, Vinod=विनोद, Naresh=नरेश, Hariom=हरिओम,
    Lakhan=लखन, Bablu=बबलू, Sanjay=संजय, Rajesh=राजेश, Narendra=नरेंद्र, Pramod=प्रमोद,
    Ashok=अशोक, Kamal Singh=कमल सिंह, Bhagwan Singh=भगवान सिंह, Ramcharan=रामचरण,
    Babulal=बाबूलाल, Prakash=प्रकाश, Yogesh=योगेश, Arvind=अरविंद, Deepak=दीपक,
    Hemraj=हेमराज
""")

HINDU_WOMEN = _names("""
    Sunita=सुनीता, Geeta=गीता, Rekha=रेखा, Kamla=कमला, Savitri=सावित्री, Shanti=शांति,
    Ramkali=रामकली, Anita=अनीता, Mamta=ममता, Seema=सीमा, Lakshmi=लक्ष्मी, Pushpa=पुष्पा,
    Usha=उषा, Kiran=किरण, Sarita=सरिता, Sangeeta=संगीता, Radha=राधा, Manju=मंजू,
    Poonam=पूनम, Suman=सुमन, Neelam=नीलम, Vandana=वंदना, Archana=अर्चना, Kusum=कुसुम,
    Rajkumari=राजकुमारी, Saroj=सरोज, Pratibha=प्रतिभा, Shobha=शोभा, Meenakshi=मीनाक्षी,
    Preeti=प्रीति, Sadhna=साधना, Jyoti=ज्योति
""")

MUSLIM_MEN = _names("""
    Abdul Rashid=अब्दुल रशीद, Mohammad Salim=मोहम्मद सलीम, Rafiq=रफ़ीक़, Anwar=अनवर,
    Shakeel=शकील, Javed=जावेद, Iqbal=इक़बाल, Nasir=नासिर, Mushtaq=मुश्ताक़, Aslam=असलम,
    Yakub=याक़ूब, Jameel=जमील, Farooq=फ़ारूक़, Naeem=नईम, Shahid=शाहिद,
    Mohammad Arif=मोहम्मद आरिफ़, Sabir=साबिर, Akhtar=अख़्तर
""")

MUSLIM_WOMEN = _names("""
    Shabana=शबाना, Rukhsana=रुख़साना, Nasreen=नसरीन, Shahnaz=शहनाज़, Parveen=परवीन,
    Salma=सलमा, Rehana=रेहाना, Farida=फ़रीदा, Zarina=ज़रीना, Najma=नजमा,
    Sultana=सुल्ताना, Ayesha=आयशा, Noorjahan=नूरजहाँ, Shaheen=शाहीन
""")

TRIBAL_MEN = _names("""
    Kalusingh=कालूसिंह, Ramsingh=रामसिंह, Bhagirath=भगीरथ, Mangilal=मांगीलाल,
    Dhansingh=धनसिंह, Sukhlal=सुखलाल, Nanuram=नानूराम, Bherulal=भेरूलाल, Gokul=गोकुल,
    Shivlal=शिवलाल, Motilal=मोतीलाल, Ramdin=रामदीन, Sardar=सरदार, Jamsingh=जामसिंह
""")

TRIBAL_WOMEN = _names("""
    Kamla=कमला, Ramkali=रामकली, Sukhwanti=सुखवंती, Phoolwati=फूलवती, Dhapu Bai=धापू बाई,
    Gulab Bai=गुलाब बाई, Basanti=बसंती, Sunderbai=सुंदरबाई, Mangli=मंगली,
    Sumitra=सुमित्रा, Tulsa=तुलसा
""")

COMMUNITIES = ("hindu", "muslim", "tribal")

SURNAMES = {"hindu": HINDU_SURNAMES, "muslim": MUSLIM_SURNAMES, "tribal": TRIBAL_SURNAMES}
BOYS = {"hindu": HINDU_BOYS, "muslim": MUSLIM_BOYS, "tribal": TRIBAL_BOYS + HINDU_BOYS[:20]}
GIRLS = {"hindu": HINDU_GIRLS, "muslim": MUSLIM_GIRLS, "tribal": TRIBAL_GIRLS + HINDU_GIRLS[:20]}
MEN = {"hindu": HINDU_MEN, "muslim": MUSLIM_MEN, "tribal": TRIBAL_MEN}
WOMEN = {"hindu": HINDU_WOMEN, "muslim": MUSLIM_WOMEN, "tribal": TRIBAL_WOMEN}

# --- Places ------------------------------------------------------------------------------

# The first four villages of each block are the seats of its clusters (sankul); the
# rest are spread over them.
ASH_VILLAGES = _names("""
    Jawar=जावर, Kothri=कोठरी, Siddiqganj=सिद्दिकगंज, Mehatwara=मेहतवाड़ा, Kajlas=कजलास,
    Bhaukhedi=भाऊखेड़ी, Arniya=अरनिया, Harrajkhedi=हर्राजखेड़ी, Dupadiya=दुपाड़िया,
    Pipliya=पिपलिया, Semli=सेमली, Kharkhadi=खरखड़ी, Lasudliya=लसूड़लिया,
    Jhirniya=झिरनिया, Gopalpur=गोपालपुर, Bhimpura=भीमपुरा, Nipaniya=निपानिया,
    Barkhedi=बरखेड़ी, Kishanpur=किशनपुर, Bamuliya=बमूलिया, Chandpura=चांदपुरा,
    Madhopur=माधोपुर, Lalpura=लालपुरा, Khajuriya=खजूरिया, Badodiya=बड़ोदिया,
    Tajpura=ताजपुरा
""")

ICH_VILLAGES = _names("""
    Amlaha=अमलाहा, Birpur=बीरपुर, Khatpura=खटपुरा, Dhablamata=धबलामाता,
    Jamuniya=जामुनिया, Kakrakhedi=ककराखेड़ी, Sekhpura=शेखपुरा, Moriya=मोरिया,
    Ramnagar=रामनगर, Devli=देवली, Bhojpura=भोजपुरा, Itawa=इटावा, Sagoniya=सगोनिया,
    Mundla=मुंडला, Hinotiya=हिनोतिया, Kulans=कुलांस, Kachnariya=कचनारिया,
    Dongarwada=डोंगरवाड़ा, Kundiya=कुंडिया, Mugaliya=मुगलिया, Barkheda=बरखेड़ा,
    Nandner=नांदनेर, Shahpur=शाहपुर, Amarpura=अमरपुरा, Ganeshpura=गणेशपुरा, Sarwar=सरवर
""")

# (code, name, name_local, villages)
BLOCKS: list[tuple[str, str, str, list[Name]]] = [
    ("ASH", "Ashta", "आष्टा", ASH_VILLAGES),
    ("ICH", "Ichhawar", "इछावर", ICH_VILLAGES),
]

# When a block runs out of villages, the old split of a village into its "big" and
# "small" parts gives more: Pipliya Kalan, Pipliya Khurd.
VILLAGE_PARTS: list[Name] = [("Kalan", "कलां"), ("Khurd", "खुर्द")]
